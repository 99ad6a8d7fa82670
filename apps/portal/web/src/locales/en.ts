import type zhCN from './zh-CN';

export default {
  portal: {
    welcome: 'Welcome to Gongxin',
    intro:
      'Government, enterprise and public apps share one permissioned chain. Every record has its block, transaction and proof, which you can verify in your own browser.',
    apps: 'Apps',
    chain: 'Chain status',
    chainNotRunning: 'No chain node is connected to the suite yet',
    chainId: 'Chain id',
    lastBlock: 'Latest block',
    chainApi: 'Chain API (JSON)',
    demoAccounts: 'Demo accounts',
    tryAs: 'Try it as: ',
    listSeparator: ', ',
    demoPassword: 'Demo password',
    demoHint:
      'On the passport sign-in page choose “use a demo account” and enter the demo password. These keys are for demonstration only: never use them for real assets.',
    pending: 'pending review',
    height: 'Block height',
    validators: 'Validators',
    services: 'Running on',
    database: 'Database',
    broker: 'MQTT broker',
    embedded: 'embedded',
    external: 'external service',
    pglite: 'PGlite (embedded)',
    postgres: 'PostgreSQL',
    open: 'Open',
    planned: 'Coming soon',
    live: 'Live',
    loadFailed: 'Could not load the suite status',
    retry: 'Retry',
    demoMode: 'Demo mode',
    audience: { public: 'Public', government: 'Government', enterprise: 'Enterprise', everyone: 'Everyone' },
  },
} satisfies typeof zhCN;
