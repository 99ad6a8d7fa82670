// The registry app as a suite module: the demo it seeds, search by USCC, name prefix and pinyin, an
// enterprise's record with its live standing, certificate verification as of a date with its offline
// bundle and QR code, matching of a need to certified suppliers, the company credential, the CSV import
// check with row-level errors, the authority's queue behind its role, and the read models rebuilt from
// genesis to the same rows.
import type { certificateStatusAt } from '@gongxin/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModels } from '../src/db/schema';
import { DEMO_ENTERPRISES, demoUscc, seedRegistryDemo } from '../src/demo';
import { type RegistryHarness, startRegistryHarness } from './harness';

let h: RegistryHarness;
const [pengcheng, , lvyuan, , qianhai, xihu, pudong] = DEMO_ENTERPRISES;

beforeAll(async () => {
  h = await startRegistryHarness();
  expect(await seedRegistryDemo(h.services)).toBe(DEMO_ENTERPRISES.length);
  await h.caughtUp();
});
afterAll(async () => {
  await h?.close();
});

describe('registry app module', () => {
  it('declares its roles and contributes its authority and certifying body to genesis', async () => {
    const { registryApp } = await import('../src/app');
    expect(registryApp.manifest.roles.map((r) => r.id)).toEqual([
      'enterprise',
      'authority',
      'certifier',
      'buyer',
    ]);
    const roles = await h.services.chain.client.state(`identity/roles/${h.party('cqc').address}`);
    expect(roles.value).toContain('registry/certifier');
    expect(await seedRegistryDemo(h.services)).toBe(0);
  });

  it('finds enterprises by USCC, by name prefix and by pinyin (full and initials)', async () => {
    const byUscc = await h.anonymous.enterprises.search({ q: pengcheng.uscc });
    expect(byUscc.map((e) => e.name)).toEqual([pengcheng.name]);
    // Full-width input is normalised as the contract does.
    const fullWidth = pengcheng.uscc.replace(/[0-9A-Z]/g, (c) =>
      String.fromCharCode(c.charCodeAt(0) + 0xfee0),
    );
    expect((await h.anonymous.enterprises.search({ q: fullWidth })).map((e) => e.uscc)).toEqual([
      pengcheng.uscc,
    ]);
    const shenzhen = await h.anonymous.enterprises.search({ q: '深圳市' });
    expect(shenzhen.map((e) => e.name).sort()).toEqual(
      ['深圳市南山智联物流有限公司', '深圳市前海云途电子有限公司', '深圳市鹏程电子科技有限公司'].sort(),
    );
    expect((await h.anonymous.enterprises.search({ q: 'guangzhou' })).map((e) => e.name)).toEqual([
      lvyuan.name,
    ]);
    expect((await h.anonymous.enterprises.search({ q: 'shpd' })).map((e) => e.name)).toEqual([pudong.name]);
    expect(await h.anonymous.enterprises.search({ q: '北京' })).toEqual([]);
    // By the trade name (字号) after the division it begins with, in characters and in pinyin.
    expect((await h.anonymous.enterprises.search({ q: '鹏程' })).map((e) => e.name)).toEqual([
      pengcheng.name,
    ]);
    expect((await h.anonymous.enterprises.search({ q: 'pengcheng' })).map((e) => e.name)).toEqual([
      pengcheng.name,
    ]);
    expect((await h.anonymous.enterprises.search({ q: 'pcdz' })).map((e) => e.name)).toEqual([
      pengcheng.name,
    ]);
    // The division alone still finds each enterprise once.
    expect((await h.anonymous.enterprises.search({ q: 'shenzhen' })).length).toBe(3);
    await expect(h.anonymous.enterprises.search({ q: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('keeps a previous name searchable after a change of name', async () => {
    const rep = h.party('rep-chen');
    const filed = await h.as('rep-chen', [
      {
        contract: 'registry',
        name: 'fileChange',
        params: {
          uscc: pengcheng.uscc,
          changes: { name: '深圳市鹏程智能科技有限公司' },
          effectiveOn: '2026-01-05',
          reason: '名称变更',
        },
      },
    ]);
    expect(filed.ok, filed.message).toBe(true);
    const authority = h.caller(h.userOf(h.party('samr-shenzhen').address, ['registry:authority']));
    const queue = await authority.workbench.queue({ limit: 20 });
    const filing = queue.filings.find((f) => f.uscc === pengcheng.uscc)!;
    expect(filing.fields).toEqual(['name']);
    await expect(h.caller(h.userOf(rep.address, [])).workbench.queue({ limit: 5 })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const decided = await h.as('samr-shenzhen', [
      {
        contract: 'registry',
        name: 'decideFiling',
        params: { id: filing.id, decision: 'accept', reason: '核准' },
      },
    ]);
    expect(decided.ok, decided.message).toBe(true);
    const byOld = await h.anonymous.enterprises.search({ q: '深圳市鹏程电子' });
    expect(byOld.map((e) => [e.name, e.previousNames])).toEqual([
      ['深圳市鹏程智能科技有限公司', [pengcheng.name]],
    ]);
    expect((await h.anonymous.enterprises.search({ q: 'szspczn' })).map((e) => e.uscc)).toEqual([
      pengcheng.uscc,
    ]);
  });

  it('has each demo enterprise registered by the market regulator of its own region', async () => {
    const expected: Record<string, string> = {
      [pengcheng.uscc]: '深圳市市场监督管理局',
      [lvyuan.uscc]: '广州市天河区市场监督管理局',
      [xihu.uscc]: '杭州市西湖区市场监督管理局',
      [pudong.uscc]: '上海市浦东新区市场监督管理局',
    };
    for (const [uscc, regulator] of Object.entries(expected)) {
      const rec = await h.anonymous.enterprises.get({ uscc });
      expect(rec.names[rec.enterprise.authority], uscc).toBe(regulator);
    }
  });

  it('shows an enterprise with its live standing, certificates and notices', async () => {
    const rec = await h.anonymous.enterprises.get({ uscc: qianhai.uscc });
    expect(rec.enterprise).toMatchObject({ life: 'active', listingStatus: 'normal', capital: '2000000000' });
    expect(rec.live).toMatchObject({ life: 'active', listingStatus: 'normal', goodStanding: true });
    expect(rec.notices).toMatchObject([
      { kind: 'penalty', decisionNo: '深南市监罚〔2026〕118号', fine: '5000000' },
    ]);
    // The public list of latest notices names the enterprise each one concerns.
    const latest = await h.anonymous.notices.list({ limit: 5 });
    expect(latest.find((n) => n.decisionNo === '深南市监罚〔2026〕118号')).toMatchObject({
      uscc: qianhai.uscc,
      enterpriseName: qianhai.name,
    });
    await expect(h.anonymous.enterprises.get({ uscc: '91440300MA5DQ3LX00' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(h.anonymous.enterprises.get({ uscc: demoUscc('440300', '12345678') })).rejects.toMatchObject(
      {
        code: 'NOT_FOUND',
      },
    );
  });

  it('verifies a certificate as of a date, offline from its bundle, and from its QR code', async () => {
    const [cert] = await h.anonymous.certificates.list({ holder: xihu.uscc });
    expect(cert).toBeDefined();
    const now = await h.anonymous.certificates.verify({ id: cert!.id });
    expect(now).toMatchObject({ statusAt: 'valid', holder: { name: xihu.name, goodStanding: true } });
    const before = await h.anonymous.certificates.verify({ id: cert!.id, at: '2020-01-01' });
    expect(before.statusAt).toBe('not_issued');
    const bundle = (await (
      await fetch(`${h.url}/registry/api/certificates/${cert!.id}/bundle.json`)
    ).json()) as {
      certificate: Parameters<typeof certificateStatusAt>[0];
      proof: { tx: string; bundle: string };
      validators: unknown;
    };
    expect(bundle.certificate.no).toBe('2026010907000188');
    // The bundle's proof checks without the server: the issuer's signed tx in a block the validators signed.
    const { verifyProofBundle, fromHex } = await import('@gongxin/ledger');
    const { trustedFromJson } = await import('@gongxin/client');
    const trusted = trustedFromJson(bundle.validators as never);
    const verdict = verifyProofBundle(h.suite, fromHex(bundle.proof.bundle), trusted);
    expect(verdict.ok).toBe(true);
    const tampered = fromHex(bundle.proof.bundle);
    tampered[tampered.length - 40]! ^= 1;
    expect(verifyProofBundle(h.suite, tampered, trusted).ok).toBe(false);
    const qr = await fetch(`${h.url}/registry/api/certificates/${cert!.id}/qr.svg`);
    expect(qr.headers.get('content-type')).toContain('image/svg+xml');
    expect(await qr.text()).toContain('<svg');
    expect((await fetch(`${h.url}/registry/api/certificates/nope/bundle.json`)).status).toBe(400);
  });

  it('matches a need to certified suppliers in good standing, nearest first', async () => {
    const need = await h.as('rep-zhou', [
      {
        contract: 'registry',
        name: 'post',
        params: {
          uscc: pudong.uscc,
          kind: 'need',
          industry: 'C3971',
          classification: '0907',
          item: '电源适配器 采购',
          quantity: 100_000n,
          unit: '件',
          region: '440305',
          deliverFrom: new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10),
          deliverUntil: new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10),
          priceMin: 3_000n,
          priceMax: 6_000n,
        },
      },
    ]);
    expect(need.ok, need.message).toBe(true);
    const [mine] = await h.anonymous.posts.list({ uscc: pudong.uscc });
    const matches = await h.anonymous.posts.matches({ id: mine!.id });
    // 前海云途 has no certificate for the item: not shown. 鹏程 (same district, covers the whole need) first.
    expect(matches.map((m) => m.post.uscc)).toEqual([pengcheng.uscc, xihu.uscc]);
    expect(matches[0]!.certificate).toMatch(/^[0-9a-f]{64}/);
  });

  it('issues the company credential with its chain evidence', async () => {
    const vc = (await (
      await fetch(`${h.url}/registry/api/enterprises/${lvyuan.uscc}/credential.json`)
    ).json()) as {
      '@context': string[];
      type: string[];
      credentialSubject: Record<string, unknown>;
      evidence: { bundle: string }[];
    };
    expect(vc['@context'][0]).toBe('https://www.w3.org/ns/credentials/v2');
    expect(vc.type).toContain('VerifiableCredential');
    expect(vc.credentialSubject).toMatchObject({
      uscc: lvyuan.uscc,
      legalName: lvyuan.name,
      goodStanding: true,
    });
    expect(vc.evidence[0]!.bundle).toMatch(/^[0-9a-f]+$/);
    expect((await fetch(`${h.url}/registry/api/enterprises/123/credential.json`)).status).toBe(400);
  });

  it('checks a CSV import row by row', async () => {
    const authority = h.caller(h.userOf(h.party('samr-shenzhen').address, ['registry:authority']));
    const good = demoUscc('440300', 'MA5G0001');
    const csv = [
      'uscc,name,legalForm,capitalYuan,address,industry,establishedOn,lei,regNo',
      `${good},"深圳市福田区""一号""贸易有限公司",limited_company,"1,000,000.50",广东省深圳市福田区深南大道1号,F5191,2020-02-02,,`,
      `${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'},某公司,limited_company,100,某地址,F5191,2020-02-02,,`,
      `${demoUscc('440300', 'MA5G0002')},某某公司,llc,abc,广东省深圳市,Z99,2020-13-40,,`,
      `${good},重复公司,limited_company,100,广东省深圳市,F5191,2020-02-02,,`,
      `${demoUscc('440300', 'MA5G0003')},某某农业公司,limited_company,100,广东省深圳市,A3971,2020-02-02,,`,
    ].join('\n');
    const { rows, errors } = await authority.workbench.checkImport({ csv });
    expect(rows).toEqual([
      {
        row: 2,
        params: expect.objectContaining({
          uscc: good,
          name: '深圳市福田区"一号"贸易有限公司',
          capital: '100000050',
        }),
      },
    ]);
    expect(errors.map((e) => `${e.row}:${e.column}`)).toEqual([
      '3:uscc',
      '4:legalForm',
      '4:capitalYuan',
      '4:industry',
      '4:establishedOn',
      '5:uscc',
      '6:industry',
    ]);
    // A code whose letter and division disagree, as the contract refuses it (registry v2).
    expect(errors.at(-1)?.message).toContain('A3971: division 39 is of section C, not A');
    await expect(h.anonymous.workbench.checkImport({ csv })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('the read models equal a rebuild from genesis', async () => {
    await h.caughtUp();
    const snapshot = async () =>
      Promise.all(
        readModels.map(async (t) =>
          (await h.database.db.select().from(t))
            .map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)))
            .sort(),
        ),
      );
    const before = await snapshot();
    expect(before[0]!.length).toBe(DEMO_ENTERPRISES.length);
    await h.mounted.indexer!.rebuild();
    expect(await snapshot()).toEqual(before);
  });

  it('rebuilds at start the read models of a deployment that had no trade-name keys', async () => {
    await h.caughtUp();
    const indexer = h.mounted.indexer!;
    const found = (await h.anonymous.enterprises.search({ q: '鹏程' })).map((e) => e.uscc);
    expect(found).toEqual([pengcheng.uscc]);
    await indexer.stop();
    // As a database built before names were indexed by trade name: no such key, the cursor at version 1.
    await h.database.execute(sql`delete from registry.enterprise_names where name like '鹏程%'`);
    await h.database.execute(sql`update appkit.indexer_cursors set version = 1 where name = 'registry'`);
    expect(await h.anonymous.enterprises.search({ q: '鹏程' })).toEqual([]);
    await indexer.start();
    await h.caughtUp();
    expect((await h.anonymous.enterprises.search({ q: '鹏程' })).map((e) => e.uscc)).toEqual(found);
  });
});
