import { useState } from 'react';
import { api } from '../../api';
import { Link, navigate } from '../../router';
import { useSession } from '../../session';
import { Button, ErrorMessage, Field, Form, Page, Select, useCommand } from '../../ui';
import { BeakFields, beakOf, EMPTY_BEAK } from './beak';

export function SignupPage() {
  const session = useSession();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('worker');
  const [beak, setBeak] = useState(EMPTY_BEAK);
  const submit = useCommand(async () => {
    await api.post('/auth/register', { name, email, role, beak: beakOf(beak) });
    await session.logIn(email, beakOf(beak));
  }, () => navigate('/'));
  return (
    <Page title="Sign up">
      <div className="card narrow">
        <Form onSubmit={() => submit.mutate(undefined)} label="Sign up">
          <Field label="Name" autoComplete="name" required value={name} onChange={(event) => setName(event.target.value)} />
          <Field label="Email" type="email" autoComplete="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
          <Select
            label="I am"
            value={role}
            onChange={(event) => setRole(event.target.value)}
            options={[
              ['worker', 'A worker (I take tasks)'],
              ['customer', 'A customer (tickets and food orders)'],
            ]}
          />
          <BeakFields value={beak} onChange={setBeak} />
          <ErrorMessage error={submit.error} />
          <Button type="submit" busy={submit.isPending}>
            Sign up
          </Button>
        </Form>
        <p>
          Have an account? <Link to="/login">Log in</Link>
        </p>
      </div>
    </Page>
  );
}
