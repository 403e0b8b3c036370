import { randomUUID } from 'node:crypto';
import { connect, type Channel, type ChannelModel, type GetMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaptersFor } from '../../src/registrations/adapters/index.js';
import { AmqpGraphiteSink } from '../../src/registrations/adapters/sinks.js';
import { RegistrationConfigSchema, sealSecret } from '../../src/registrations/config.js';

// The real RabbitMQ (.ci/run starts it); each run declares its own exchanges, so parallel runs never meet.
const BROKER = 'amqp://guest:guest@127.0.0.1:5672/';
const EXCHANGE = `graphite-test-${randomUUID()}`;
const CLASHING = `${EXCHANGE}-fanout`;

let model: ChannelModel;
let channel: Channel;
let queue: string;
beforeAll(async () => {
  model = await connect(BROKER);
  channel = await model.createChannel();
  // Declared as the sink declares it, so the sink's own assertExchange agrees.
  await channel.assertExchange(EXCHANGE, 'topic', { durable: true });
  await channel.assertExchange(CLASHING, 'fanout', { durable: false, autoDelete: true });
  queue = (await channel.assertQueue('', { exclusive: true })).queue;
  await channel.bindQueue(queue, EXCHANGE, '#');
});
afterAll(async () => {
  await channel.deleteExchange(EXCHANGE);
  await channel.deleteExchange(CLASHING);
  await model.close();
});

/** Every message waiting in the test queue. */
async function drain(): Promise<GetMessage[]> {
  const messages: GetMessage[] = [];
  for (let message = await channel.get(queue, { noAck: true }); message; message = await channel.get(queue, { noAck: true })) messages.push(message);
  return messages;
}

const at = new Date('2024-05-01T10:00:00.900Z'); // 1714557600 in epoch seconds

describe('the Graphite AMQP sink (spec §10.4)', () => {
  it('publishes each point, confirmed, with the metric name as routing key and "<value> <epochSeconds>" as a persistent text/plain body', async () => {
    await new AmqpGraphiteSink(BROKER, EXCHANGE, 'hm').send([
      { name: 'registrations.created.sum', value: 2, timestamp: at },
      { name: 'registrations.total.last', value: 1234.5, timestamp: new Date(at.getTime() + 60_000) },
    ]);
    const messages = await drain();
    expect(messages.map((m) => [m.fields.exchange, m.fields.routingKey, m.content.toString()])).toEqual([
      [EXCHANGE, 'hm.registrations.created.sum', '2 1714557600'],
      [EXCHANGE, 'hm.registrations.total.last', '1234.5 1714557660'],
    ]);
    for (const m of messages) expect(m.properties).toMatchObject({ deliveryMode: 2, contentType: 'text/plain' });
  });

  it('is built from an org’s stored sink, whose sealed address holds the password', async () => {
    const config = RegistrationConfigSchema.parse({
      adapters: { sinks: [{ kind: 'amqp', url: 'amqp://guest@127.0.0.1:5672/', urlSealed: sealSecret(BROKER), exchange: EXCHANGE }] },
    });
    expect(config.metricPrefix).toBe('');
    const [sink] = adaptersFor(1, config).sinks;
    expect(sink).toBeInstanceOf(AmqpGraphiteSink);
    await sink!.send([{ name: 'registrations.created.sum', value: 1, timestamp: at }]);
    expect((await drain()).map((m) => [m.fields.routingKey, m.content.toString()])).toEqual([['registrations.created.sum', '1 1714557600']]);
    // Stored configurations without an exchange get Graphite's.
    const defaults = RegistrationConfigSchema.parse({ adapters: { sinks: [{ kind: 'amqp', url: 'amqp://127.0.0.1/', urlSealed: sealSecret('amqp://127.0.0.1/') }] } });
    expect(defaults.adapters.sinks[0]).toMatchObject({ exchange: 'graphite' });
  });

  it('rejects, without hanging, when the broker refuses the connection or the exchange', async () => {
    const started = Date.now();
    await expect(new AmqpGraphiteSink('amqp://guest:guest@127.0.0.1:1/', EXCHANGE, '').send([{ name: 'a', value: 1, timestamp: at }])).rejects.toThrow(/ECONNREFUSED/);
    // An exchange that exists with another type: the broker closes the channel (406), the send fails.
    await expect(new AmqpGraphiteSink(BROKER, CLASHING, '').send([{ name: 'a', value: 1, timestamp: at }])).rejects.toThrow(/PRECONDITION_FAILED/);
    await expect(new AmqpGraphiteSink(BROKER.replace('guest:guest', 'guest:wrong'), EXCHANGE, '').send([{ name: 'a', value: 1, timestamp: at }])).rejects.toThrow(/ACCESS.REFUSED/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await drain()).toEqual([]);
  });
});
