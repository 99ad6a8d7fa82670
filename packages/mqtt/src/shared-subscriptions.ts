// Shared subscriptions ($share/<group>/<filter>) for the embedded aedes broker, which does not
// implement them (aedes 1.x treats `$share/...` as a literal filter that never matches). Each
// message on a group's filter goes to exactly one connected member, round-robin, as Mosquitto does.
// This must only use aedes' public hooks (authorizeSubscribe, subscribe/unsubscribe, events,
// Client#publish) and must never deliver a message to more than one member of a group.

import type { Aedes, AedesPublishPacket, Client } from 'aedes';
import type { LoggerLike } from './logger';
import { parseSharedFilter } from './topic';

type QoS = 0 | 1 | 2;

interface Group {
  filter: string;
  members: Map<Client, QoS>;
  cursor: number;
  deliver: (packet: AedesPublishPacket, done: () => void) => void;
}

export function installSharedSubscriptions(broker: Aedes, logger: LoggerLike): void {
  const groups = new Map<string, Group>();
  const authorizeSubscribe = broker.authorizeSubscribe;

  const removeMember = (key: string, client: Client): void => {
    const group = groups.get(key);
    if (!group?.members.delete(client) || group.members.size > 0) return;
    groups.delete(key);
    broker.unsubscribe(group.filter, group.deliver, () => {});
  };

  const createGroup = (key: string, filter: string): Group => {
    // `$` topics are the broker's own; a leading wildcard must not pick them up ([MQTT-4.7.2-1]).
    const skipDollar = filter.startsWith('+') || filter.startsWith('#');
    const group: Group = {
      filter,
      members: new Map(),
      cursor: 0,
      deliver: (packet, done) => {
        if (skipDollar && packet.topic.startsWith('$')) return done();
        const target = pickMember(key, group);
        if (!target) {
          logger.debug({ topic: packet.topic, group: key }, 'Shared subscription has no connected member');
          return done();
        }
        const [client, maxQos] = target;
        // Client#publish enqueues for persistent sessions before writing, so a QoS 1 message
        // survives the member dropping before its PUBACK, like a normal subscription's would.
        client.publish(
          {
            cmd: 'publish',
            topic: packet.topic,
            payload: packet.payload,
            qos: Math.min(packet.qos, maxQos) as QoS,
            retain: false,
            dup: false,
          },
          () => done(),
        );
      },
    };
    return group;
  };

  const pickMember = (key: string, group: Group): [Client, QoS] | undefined => {
    for (const [client] of group.members) {
      if (client.closed) removeMember(key, client);
    }
    const members = [...group.members];
    if (members.length === 0) return undefined;
    group.cursor = (group.cursor + 1) % members.length;
    return members[group.cursor];
  };

  broker.authorizeSubscribe = (client, sub, callback) => {
    authorizeSubscribe.call(broker, client, sub, (err, granted) => {
      if (err || !granted?.topic.startsWith('$share/')) return callback(err, granted);
      const shared = parseSharedFilter(granted.topic);
      // A malformed share name is refused with a SUBACK failure rather than silently never matching.
      if (!shared) return callback(null, null);
      const key = `${shared.group}/${shared.filter}`;
      const existing = groups.get(key);
      const group = existing ?? createGroup(key, shared.filter);
      group.members.set(client, granted.qos as QoS);
      if (existing) return callback(null, granted);
      groups.set(key, group);
      broker.subscribe(shared.filter, group.deliver, () => callback(null, granted));
    });
  };

  broker.on('unsubscribe', (topics, client) => {
    for (const topic of topics) {
      const shared = parseSharedFilter(topic);
      if (shared) removeMember(`${shared.group}/${shared.filter}`, client);
    }
  });
  broker.on('clientDisconnect', (client) => {
    for (const key of [...groups.keys()]) removeMember(key, client);
  });
}
