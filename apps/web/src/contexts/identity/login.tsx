import { useState } from 'react';
import { Link, navigate } from '../../router';
import { useSession } from '../../session';
import { Button, ErrorMessage, Field, Form, Page, useCommand } from '../../ui';
import { BeakFields, beakOf, EMPTY_BEAK } from './beak';

export function LoginPage() {
  const session = useSession();
  const [email, setEmail] = useState('');
  const [beak, setBeak] = useState(EMPTY_BEAK);
  const submit = useCommand(async () => {
    await session.logIn(email, beakOf(beak));
  }, () => navigate('/'));
  return (
    <Page title="Log in">
      <div className="card narrow">
        <Form onSubmit={() => submit.mutate(undefined)} label="Log in">
          <Field label="Email" type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
          <BeakFields value={beak} onChange={setBeak} />
          <ErrorMessage error={submit.error} />
          <Button type="submit" busy={submit.isPending}>
            Log in
          </Button>
        </Form>
        <p>
          New here? <Link to="/signup">Sign up</Link>
        </p>
      </div>
    </Page>
  );
}
