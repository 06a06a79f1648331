import type { Area } from '../../pages';
import { AllOrdersPage, MenuPage, ProvidersPage } from './admin';
import { MyOrdersPage, OrderPage } from './order';
import './orders.css';
import { CartPage, RestaurantsPage } from './shop';

/** Delibery: restaurants and their menus, a cart across restaurants, orders followed live; providers and every order for admins. */
export const ordersArea: Area = {
  label: 'Orders',
  pages: [
    // The fixed addresses come before /orders/:orderId, which would match them too.
    { path: '/orders/restaurants', title: 'Restaurants', Component: RestaurantsPage, nav: 'Restaurants' },
    { path: '/orders/cart', title: 'Cart', Component: CartPage, nav: 'Cart' },
    { path: '/orders/mine', title: 'My orders', Component: MyOrdersPage, nav: 'My orders' },
    { path: '/orders/admin/providers', title: 'Providers', Component: ProvidersPage, nav: 'Providers', roles: ['admin'] },
    { path: '/orders/admin/providers/:providerId/menu', title: 'Menu', Component: MenuPage, roles: ['admin'] },
    { path: '/orders/admin/all', title: 'All orders', Component: AllOrdersPage, nav: 'All orders', roles: ['admin'] },
    { path: '/orders/:orderId', title: 'Order', Component: OrderPage },
  ],
};
