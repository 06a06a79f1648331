import type { Area } from '../../pages';
import { LoginPage } from './login';
import { MePage, UsersPage } from './me';
import { SignupPage } from './signup';

export const identityArea: Area = {
  label: 'Account',
  pages: [
    { path: '/login', title: 'Log in', Component: LoginPage, public: true },
    { path: '/signup', title: 'Sign up', Component: SignupPage, public: true },
    { path: '/me', title: 'Who am I', Component: MePage, nav: 'Who am I' },
    { path: '/users', title: 'Users', Component: UsersPage, nav: 'Users', roles: ['admin', 'manager'] },
  ],
};
