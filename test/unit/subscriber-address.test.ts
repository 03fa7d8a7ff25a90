import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LookupAddress } from 'node:dns';
import {
  AWS_SUBSCRIBER_POLICY,
  classifyAddress,
  LOCAL_SUBSCRIBER_POLICY,
  urlRefusal,
  type AddressClass,
} from '../../lambdas/core/subscriber-address';
import { guardedLookup, subscriberHttpClient } from '../../lambdas/adapters/subscriber-http';

describe('classifying addresses', () => {
  it.each<[string, AddressClass]>([
    // IPv4
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
    // IPv6
    ['2a00:1450:4001:81c::200e', 'public'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fd00:ec2::254', 'private'],
    ['fc00::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2001:0:4136:e378::1', 'reserved'],
    ['2002:a9fe:a9fe::1', 'reserved'],
    ['64:ff9b::a9fe:a9fe', 'reserved'],
    ['::127.0.0.1', 'reserved'],
    // IPv4-mapped IPv6: the IPv4 address inside decides
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['0:0:0:0:0:ffff:a00:1', 'private'],
    ['::ffff:8.8.8.8', 'public'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('knows a name from an address', () => {
    expect(classifyAddress('example.com')).toBeUndefined();
    expect(classifyAddress('[::1]')).toBeUndefined();
  });
});

describe('subscriber URLs', () => {
  it.each([
    ['https://shop.example/hooks', undefined, undefined],
    ['https://8.8.8.8/hooks', undefined, undefined],
    ['http://shop.example/hooks', 'must be an https URL', undefined],
    ['http://127.0.0.1:3000/hooks', 'must be an https URL', undefined],
    ['https://127.0.0.1/hooks', 'points at a loopback address, which webhooks may not be sent to', undefined],
    ['https://[::1]/hooks', 'points at a loopback address, which webhooks may not be sent to', undefined],
    ['https://localhost/hooks', 'points at a loopback address, which webhooks may not be sent to', undefined],
    ['https://api.localhost/hooks', 'points at a loopback address, which webhooks may not be sent to', undefined],
    [
      'https://169.254.169.254/latest/meta-data',
      'points at a link-local address, which webhooks may not be sent to',
      'points at a link-local address, which webhooks may not be sent to',
    ],
    [
      'https://[::ffff:169.254.169.254]/',
      'points at a link-local address, which webhooks may not be sent to',
      'points at a link-local address, which webhooks may not be sent to',
    ],
    [
      'https://10.1.2.3/',
      'points at a private address, which webhooks may not be sent to',
      'points at a private address, which webhooks may not be sent to',
    ],
    // WHATWG URL parsing turns the old shorthand forms into dotted quads before anything is checked.
    ['https://0x7f.1/', 'points at a loopback address, which webhooks may not be sent to', undefined],
    ['https://2130706433/', 'points at a loopback address, which webhooks may not be sent to', undefined],
    ['https://user:secret@shop.example/', 'must not carry a user name or password', 'must not carry a user name or password'],
    ['ftp://shop.example/', 'must be an https URL', 'must be an http or https URL'],
    ['https://shop.example/#x', 'must not have a fragment', 'must not have a fragment'],
  ])('%s: in AWS %s, locally %s', (url, inAws, locally) => {
    expect(urlRefusal(url, AWS_SUBSCRIBER_POLICY)).toBe(inAws);
    expect(urlRefusal(url, LOCAL_SUBSCRIBER_POLICY)).toBe(locally);
  });
});

describe('resolving a subscriber at delivery time', () => {
  /** A resolver that answers with whatever the test says the name resolves to now (DNS rebinding). */
  const resolvingTo = (addresses: LookupAddress[]) =>
    ((_host: string, _options: unknown, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) =>
      callback(null, addresses)) as never;

  const lookUp = (addresses: LookupAddress[]) =>
    new Promise<{ error: Error | null; addresses: unknown }>((resolve) =>
      guardedLookup(AWS_SUBSCRIBER_POLICY, resolvingTo(addresses))('shop.example', { all: true }, (error, result) =>
        resolve({ error, addresses: result }),
      ),
    );

  it('lets a name through that resolves to public addresses only, and hands the socket those', async () => {
    const addresses = [
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
    ];
    expect(await lookUp(addresses)).toEqual({ error: null, addresses });
  });

  it.each([
    [[{ address: '169.254.169.254', family: 4 }]],
    [
      [
        { address: '93.184.215.14', family: 4 },
        { address: '10.0.0.5', family: 4 },
      ],
    ],
    [[{ address: '::ffff:127.0.0.1', family: 6 }]],
    [[{ address: 'fd00:ec2::254', family: 6 }]],
    [[]],
  ])('refuses a name that now resolves to %j', async (addresses) => {
    const { error } = await lookUp(addresses);
    expect(error?.name).toBe('SubscriberAddressRefused');
  });

  it('a POST to a name resolving to a refused address never connects', async () => {
    let reached = false;
    const server = http.createServer((_request, response) => {
      reached = true;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      // In AWS, localhost is refused before resolution and 127.0.0.1 after it: neither reaches the server.
      const client = subscriberHttpClient({ allowHttp: true, allowLoopback: false });
      expect(await client.post(`http://localhost:${port}/`, {}, '{}')).toEqual({ error: expect.stringContaining('address refused') });
      expect(await client.refusal(`http://127.0.0.1:${port}/`)).toMatch(/loopback/);
      expect(reached).toBe(false);
      // Locally it is allowed, and the same request arrives.
      expect(await subscriberHttpClient(LOCAL_SUBSCRIBER_POLICY).post(`http://localhost:${port}/`, {}, '{}')).toEqual({ status: 200 });
      expect(reached).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('gives up on a subscriber that does not answer within the timeout', async () => {
    const server = http.createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = subscriberHttpClient(LOCAL_SUBSCRIBER_POLICY, 200);
      const started = Date.now();
      expect(await client.post(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {}, '{}')).toEqual({
        error: expect.stringContaining('no answer within 0.2 s'),
      });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
