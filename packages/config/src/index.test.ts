import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactUrl } from './index';

function problemsOf(env: Record<string, string>) {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the embedded defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      databaseUrl: undefined,
      mqttUrl: undefined,
      dataDir: '.data',
      logLevel: 'info',
      demo: true,
      publicUrl: 'http://127.0.0.1:8080',
    });
  });

  it('reads real services and treats empty strings as unset', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://app:secret@db.internal:5432/gongxin',
      MQTT_URL: 'mqtt://broker:1883',
      CHAIN_URL: 'https://node1.internal:26657/',
      PORT: '0',
      LOG_LEVEL: '',
      NODE_ENV: 'production',
    });
    expect(config.databaseUrl).toBe('postgres://app:secret@db.internal:5432/gongxin');
    expect(config.mqttUrl).toBe('mqtt://broker:1883');
    expect(config.chainUrl).toBe('https://node1.internal:26657/');
    expect(config.port).toBe(0);
    expect(config.logLevel).toBe('info');
    expect(config.logFormat).toBeUndefined();
    expect(config.demo).toBe(false);
  });

  it.each(['80a', '-1', '65536', '8080.5', 'http'])(
    'refuses PORT=%s naming the variable and the value',
    (value) => {
      const [problem] = problemsOf({ PORT: value });
      expect(problem).toEqual({ variable: 'PORT', given: value, expected: expect.stringContaining('port') });
    },
  );

  it('refuses a DATABASE_URL that is not PostgreSQL without echoing its password', () => {
    let message = '';
    try {
      loadConfig({ DATABASE_URL: 'mysql://root:hunter2@localhost/x' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('postgres://');
    expect(message).not.toContain('hunter2');
  });

  it('refuses a malformed MQTT_URL and a bad LOG_LEVEL together', () => {
    const problems = problemsOf({ MQTT_URL: 'localhost:1883', LOG_LEVEL: 'loud' });
    expect(problems.map((p) => p.variable).sort()).toEqual(['LOG_LEVEL', 'MQTT_URL']);
  });

  it('refuses a CHAIN_URL that is not an http(s) node API', () => {
    expect(problemsOf({ CHAIN_URL: 'tcp://node1:26656' })[0]).toEqual({
      variable: 'CHAIN_URL',
      given: 'tcp://node1:26656',
      expected: expect.stringContaining('http'),
    });
    expect(loadConfig({}).chainUrl).toBeUndefined();
  });

  it('reads CHAIN_NODES as named node APIs and refuses an entry that is not one', () => {
    expect(
      loadConfig({
        CHAIN_NODES: 'node1=http://10.0.0.5:26601/, http://10.0.0.6:26611 ,node3=https://n3.example',
      }).chainNodes,
    ).toEqual([
      { name: 'node1', url: 'http://10.0.0.5:26601' },
      { name: '10.0.0.6:26611', url: 'http://10.0.0.6:26611' },
      { name: 'node3', url: 'https://n3.example' },
    ]);
    expect(loadConfig({}).chainNodes).toEqual([]);
    expect(problemsOf({ CHAIN_NODES: 'node1=ws://10.0.0.5:26600' })[0]).toEqual({
      variable: 'CHAIN_NODES',
      given: 'node1=ws://10.0.0.5:26600',
      expected: expect.stringContaining('http'),
    });
  });

  it('refuses a DEMO flag that is not a boolean', () => {
    expect(problemsOf({ DEMO: 'maybe' })[0]?.variable).toBe('DEMO');
    expect(loadConfig({ DEMO: 'off' }).demo).toBe(false);
  });

  it('redacts passwords', () => {
    expect(redactUrl('postgres://u:p@h:1/d')).toBe('postgres://u:***@h:1/d');
    expect(redactUrl('postgres://h/d')).toBe('postgres://h/d');
  });
});

describe('SUITE_SECRET', () => {
  it('is optional, must be long, and is never echoed', () => {
    expect(loadConfig({}).suiteSecret).toBeUndefined();
    expect(loadConfig({ SUITE_SECRET: 'x'.repeat(40) }).suiteSecret).toBe('x'.repeat(40));
    expect(problemsOf({ SUITE_SECRET: 'short-secret' })).toEqual([
      { variable: 'SUITE_SECRET', given: '(hidden)', expected: 'expected at least 32 characters' },
    ]);
  });

  it('reads LOG_FORMAT and refuses other formats', () => {
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });
});

describe('the deployment clock', () => {
  it('is the wall clock unless CLOCK_START names an instant; CLOCK_CONTROL is off by default', () => {
    expect(loadConfig({})).toMatchObject({ clockStart: undefined, clockControl: false });
    expect(loadConfig({ CLOCK_START: '2026-06-30T11:40:00+08:00', CLOCK_CONTROL: 'true' })).toMatchObject({
      clockStart: Date.UTC(2026, 5, 30, 3, 40),
      clockControl: true,
    });
    expect(problemsOf({ CLOCK_START: 'yesterday' }).map((p) => p.variable)).toEqual(['CLOCK_START']);
    expect(problemsOf({ CLOCK_START: '2026-13-40T00:00:00Z' }).map((p) => p.variable)).toEqual([
      'CLOCK_START',
    ]);
  });

  it('refuses a controllable clock in production', () => {
    expect(problemsOf({ NODE_ENV: 'production', CLOCK_CONTROL: 'on' })).toEqual([
      {
        variable: 'CLOCK_CONTROL',
        given: 'on',
        expected: 'unset or false with NODE_ENV=production (a production clock is not moved by hand)',
      },
    ]);
    expect(loadConfig({ NODE_ENV: 'production', CLOCK_CONTROL: 'off' }).clockControl).toBe(false);
  });
});
