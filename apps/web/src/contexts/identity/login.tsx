import { useState } from 'react';
import { Link, navigate } from '../../router';
import { useSession } from '../../session';
import { Button, ErrorMessage, Field, Form, Page } from '../../ui';
import { BeakFields, beakOf, EMPTY_BEAK } from './beak';

export function LoginPage() {
  const session = useSession();
  const [email, setEmail] = useState('');
  const [beak, setBeak] = useState(EMPTY_BEAK);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await session.logIn(email, beakOf(beak));
      navigate('/');
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title="Log in">
      <div className="card narrow">
        <Form onSubmit={submit} label="Log in">
          <Field label="Email" type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
          <BeakFields value={beak} onChange={setBeak} />
          <ErrorMessage error={error} />
          <Button type="submit" busy={busy}>
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
