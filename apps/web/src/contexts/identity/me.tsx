import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { type Me, useMe } from '../../session';
import { Button, ErrorMessage, Form, Loaded, Notice, Page, Section, Table, useCommand } from '../../ui';
import { BeakFields, beakOf, EMPTY_BEAK } from './beak';

export function MePage() {
  const me = useMe();
  const [oldBeak, setOldBeak] = useState(EMPTY_BEAK);
  const [newBeak, setNewBeak] = useState(EMPTY_BEAK);
  const change = useCommand(() => api.post('/auth/me/beak', { oldBeak: beakOf(oldBeak), newBeak: beakOf(newBeak) }), () => {
    setOldBeak(EMPTY_BEAK);
    setNewBeak(EMPTY_BEAK);
  });
  return (
    <Page title="Who am I">
      <Section title="My account">
        <dl className="facts">
          <dt>Name</dt>
          <dd>{me.name}</dd>
          <dt>Email</dt>
          <dd>{me.email}</dd>
          <dt>Role</dt>
          <dd data-testid="my-role">{me.role}</dd>
          <dt>User id</dt>
          <dd>
            <code>{me.userId}</code>
          </dd>
        </dl>
      </Section>
      <Section title="Change my beak">
        <Form onSubmit={() => change.mutate(undefined)} label="Change my beak">
          <BeakFields legend="Current beak" value={oldBeak} onChange={setOldBeak} />
          <BeakFields legend="New beak" value={newBeak} onChange={setNewBeak} />
          <ErrorMessage error={change.error} />
          {change.isSuccess && <Notice>Your beak is changed; log in with the new one from now on.</Notice>}
          <Button type="submit" busy={change.isPending}>
            Change beak
          </Button>
        </Form>
      </Section>
    </Page>
  );
}

const ROLES = ['worker', 'manager', 'accountant', 'admin', 'customer'] as const;

export function UsersPage() {
  const me = useMe();
  const users = useQuery({ queryKey: ['users'], queryFn: () => api.get<Me[]>('/users') });
  const setRole = useCommand(({ userId, role }: { userId: string; role: string }) => api.patch(`/auth/users/${userId}/role`, { role }));
  return (
    <Page title="Users">
      <ErrorMessage error={setRole.error} />
      <Loaded query={users}>
        {(rows) => (
          <Table
            caption="Every user"
            rows={rows}
            rowKey={(user) => user.userId}
            columns={[
              { header: 'Name', cell: (user) => user.name },
              { header: 'Email', cell: (user) => user.email },
              {
                header: 'Role',
                cell: (user) =>
                  me.role === 'admin' ? (
                    <select aria-label={`Role of ${user.name}`} value={user.role} disabled={setRole.isPending} onChange={(event) => setRole.mutate({ userId: user.userId, role: event.target.value })}>
                      {ROLES.map((role) => (
                        <option key={role}>{role}</option>
                      ))}
                    </select>
                  ) : (
                    user.role
                  ),
              },
            ]}
          />
        )}
      </Loaded>
    </Page>
  );
}
