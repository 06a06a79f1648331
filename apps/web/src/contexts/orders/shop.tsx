import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { Link, navigate } from '../../router';
import { Button, ErrorMessage, Form, Loaded, Notice, Page, Section, TextArea, useCommand } from '../../ui';
import { formatCents } from '../../money';
import { byRestaurant, type CartLine, cartStore, MAX_QUANTITY, type Provider, totalCents, useCart } from './model';

export function useProviders() {
  return useQuery({ queryKey: ['orders', 'providers'], queryFn: () => api.get<Provider[]>('/orders/providers') });
}

/** How many items the cart holds and what they cost, with a link to it. */
function CartSummary() {
  const cart = useCart();
  const count = cart.lines.reduce((sum, line) => sum + line.quantity, 0);
  return (
    <p className="orders-cart-summary">
      <Link to="/orders/cart">
        Cart: {count} {count === 1 ? 'item' : 'items'}, {formatCents(totalCents(cart.lines))}
      </Link>
    </p>
  );
}

/** How many of a dish: 1 to MAX_QUANTITY, labelled with the dish and its restaurant. */
function QuantityInput({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  return (
    <input
      className="orders-quantity"
      type="number"
      min={1}
      max={MAX_QUANTITY}
      step={1}
      inputMode="numeric"
      aria-label={`Quantity of ${label}`}
      value={value}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

function MenuRow({ provider, item, onAdded }: { provider: Provider; item: Provider['menu'][number]; onAdded: (text: string) => void }) {
  const [quantity, setQuantity] = useState('1');
  const amount = Number(quantity);
  const valid = Number.isInteger(amount) && amount >= 1 && amount <= MAX_QUANTITY;
  const label = `${item.name} from ${provider.name}`;
  return (
    <tr>
      <td>{item.name}</td>
      <td className="num">{item.price}</td>
      <td>
        <QuantityInput label={label} value={quantity} onChange={setQuantity} />
      </td>
      <td>
        <button
          type="button"
          aria-label={`Add to cart: ${label}`}
          disabled={!valid}
          onClick={() => {
            cartStore.add({ providerId: provider.providerId, providerName: provider.name, sku: item.sku, name: item.name, price: item.price, quantity: amount });
            onAdded(`Added ${amount} × ${item.name} (${provider.name}) to the cart.`);
            setQuantity('1');
          }}
        >
          Add to cart
        </button>
      </td>
    </tr>
  );
}

export function RestaurantsPage() {
  const providers = useProviders();
  const [added, setAdded] = useState('');
  return (
    <Page title="Restaurants" actions={<CartSummary />}>
      <div aria-live="polite">{added && <Notice>{added}</Notice>}</div>
      <Loaded query={providers}>
        {(rows) =>
          rows.length === 0 ? (
            <p className="empty">No restaurant has joined yet.</p>
          ) : (
            rows.map((provider) => (
              <Section key={provider.providerId} title={provider.name}>
                {provider.menu.length === 0 ? (
                  <p className="empty">Its menu is not set yet.</p>
                ) : (
                  <div className="table-wrap" tabIndex={0} role="region" aria-label={`Menu of ${provider.name}`}>
                    <table>
                      <caption>Menu of {provider.name}</caption>
                      <thead>
                        <tr>
                          <th scope="col">Dish</th>
                          <th scope="col" className="num">
                            Price
                          </th>
                          <th scope="col">Quantity</th>
                          <th scope="col">
                            <span className="visually-hidden">Action</span>
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {provider.menu.map((item) => (
                          <MenuRow key={item.sku} provider={provider} item={item} onAdded={setAdded} />
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </Section>
            ))
          )
        }
      </Loaded>
    </Page>
  );
}

interface PlaceAnswer {
  orderId: string;
  status: string;
  total: string;
}

export function CartPage() {
  const cart = useCart();
  const providers = useProviders();
  const menus = new Map((providers.data ?? []).map((provider) => [provider.providerId, provider]));
  /** Each line at the menu's price now (the API charges that one); a line whose dish left the menu keeps the price it was added at. */
  const lines: (CartLine & { gone: boolean })[] = cart.lines.map((line) => {
    const provider = menus.get(line.providerId);
    const item = provider?.menu.find((dish) => dish.sku === line.sku);
    return { ...line, price: item?.price ?? line.price, name: item?.name ?? line.name, gone: !!providers.data && !item };
  });
  const place = useCommand(
    () => {
      const body = { items: cart.lines.map(({ providerId, sku, quantity }) => ({ providerId, sku, quantity })), deliveryAddress: cart.deliveryAddress };
      const key = cartStore.keyFor(JSON.stringify(body));
      return api.post<PlaceAnswer>('/orders', body, { headers: { 'Idempotency-Key': key } });
    },
    (answer) => {
      cartStore.clear();
      navigate(`/orders/${answer.orderId}`);
    },
  );
  const quantityOk = cart.lines.every((line) => Number.isInteger(line.quantity) && line.quantity >= 1 && line.quantity <= MAX_QUANTITY);
  return (
    <Page title="Cart">
      {cart.lines.length === 0 ? (
        <div className="card">
          <p className="empty">Your cart is empty.</p>
          <p>
            <Link to="/orders/restaurants">Choose dishes from the restaurants</Link>
          </p>
        </div>
      ) : (
        <>
          {byRestaurant(lines).map((group) => (
            <Section key={group.providerId} title={group.lines[0]?.providerName ?? group.providerId}>
              <div className="table-wrap orders-cart" tabIndex={0} role="region" aria-label={`Cart items from ${group.lines[0]?.providerName ?? ''}`}>
                <table>
                  <caption>From {group.lines[0]?.providerName}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Dish</th>
                      <th scope="col" className="num">
                        Price
                      </th>
                      <th scope="col">Quantity</th>
                      <th scope="col" className="num">
                        Amount
                      </th>
                      <th scope="col">
                        <span className="visually-hidden">Action</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {group.lines.map((line) => (
                      <tr key={line.sku}>
                        <td>
                          {line.name}
                          {line.gone && <span className="orders-warning"> (no longer on the menu)</span>}
                        </td>
                        <td className="num">{line.price}</td>
                        <td>
                          <QuantityInput
                            label={`${line.name} from ${line.providerName}`}
                            value={line.quantity ? String(line.quantity) : ''}
                            onChange={(value) => cartStore.setQuantity(line.providerId, line.sku, Number(value))}
                          />
                        </td>
                        <td className="num">{formatCents(totalCents([line]))}</td>
                        <td>
                          <button type="button" aria-label={`Remove ${line.name} from ${line.providerName}`} onClick={() => cartStore.remove(line.providerId, line.sku)}>
                            Remove
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr>
                      <th scope="row" colSpan={3}>
                        Subtotal
                      </th>
                      <td className="num">{formatCents(totalCents(group.lines))}</td>
                      <td />
                    </tr>
                  </tfoot>
                </table>
              </div>
            </Section>
          ))}
          <Section title="Place the order">
            <p className="orders-total">
              Total: <strong data-testid="cart-total">{formatCents(totalCents(lines))}</strong>
            </p>
            <Form onSubmit={() => place.mutate(undefined)} label="Place the order">
              <TextArea label="Delivery address" required maxLength={500} value={cart.deliveryAddress} onChange={(event) => cartStore.setAddress(event.target.value)} />
              {!quantityOk && <p className="orders-warning">Each quantity must be a whole number from 1 to {MAX_QUANTITY}.</p>}
              <ErrorMessage error={place.error} />
              <div className="row">
                <Button type="submit" busy={place.isPending} disabled={!quantityOk || !cart.deliveryAddress.trim()}>
                  Place order
                </Button>
                <Link to="/orders/restaurants">Add more dishes</Link>
              </div>
            </Form>
          </Section>
        </>
      )}
    </Page>
  );
}
