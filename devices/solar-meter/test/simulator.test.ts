import { describe, expect, it } from 'vitest';
import { ModbusMeter, type ModbusTransport } from '../src/adapter';
import { clearSkyIrradiance, SimulatedPlant } from '../src/simulator';

// 1 June 2024, 00:00 China Standard Time.
const DAY = Date.UTC(2024, 4, 31, 16, 0, 0);
const H = 3_600_000;

describe('simulated plant', () => {
  it('follows the sun: nothing at night, most around noon, registers never go down within a boot', () => {
    const plant = new SimulatedPlant({ capacityW: 100_000, start: DAY, seed: 7, cloudiness: 0 });
    const samples = Array.from({ length: 24 * 6 }, (_, i) => plant.sample(DAY + i * 10 * 60_000)!);
    const at = (h: number) => samples[h * 6]!;
    expect(at(2).irradiance).toBe(0);
    expect(at(12).irradiance).toBeGreaterThan(800);
    expect(at(12).power).toBeGreaterThan(60_000);
    expect(at(7).power).toBeLessThan(at(12).power);
    for (let i = 1; i < samples.length; i++) {
      expect(samples[i]!.exportWh).toBeGreaterThanOrEqual(samples[i - 1]!.exportWh);
      expect(samples[i]!.importWh).toBeGreaterThanOrEqual(samples[i - 1]!.importWh);
    }
    // A clear June day in Shanghai: 100 kW give some 600–900 kWh.
    const kwh = samples.at(-1)!.exportWh / 1000;
    expect(kwh).toBeGreaterThan(500);
    expect(kwh).toBeLessThan(1_000);
    expect(clearSkyIrradiance(DAY + 12 * H, 31.23, 121.47)).toBeGreaterThan(
      clearSkyIrradiance(DAY + 9 * H, 31.23, 121.47),
    );
  });

  it('clouds cut generation; a reboot resets the registers; outages cannot be read; the clock drifts', () => {
    const clear = new SimulatedPlant({ capacityW: 10_000, start: DAY, seed: 3, cloudiness: 0 });
    const cloudy = new SimulatedPlant({ capacityW: 10_000, start: DAY, seed: 3, cloudiness: 0.9 });
    expect(cloudy.sample(DAY + 18 * H)!.exportWh).toBeLessThan(clear.sample(DAY + 18 * H)!.exportWh);
    const plant = new SimulatedPlant({
      capacityW: 10_000,
      start: DAY,
      reboots: [DAY + 12 * H + 7 * 60_000],
      outages: [[DAY + 14 * H, DAY + 14 * H + 40 * 60_000]],
      driftMsPerHour: 500,
    });
    const before = plant.sample(DAY + 12 * H + 5 * 60_000)!;
    const after = plant.sample(DAY + 12 * H + 10 * 60_000)!;
    expect(before.exportWh).toBeGreaterThan(after.exportWh);
    expect(after.boots).toBe(1);
    expect(plant.sample(DAY + 14 * H + 10 * 60_000)).toBeNull();
    const late = plant.sample(DAY + 14 * H + 41 * 60_000)!;
    expect(late.exportWh).toBeGreaterThan(after.exportWh);
    expect(late.deviceTime - (DAY + 14 * H + 41 * 60_000)).toBe(Math.round(14.683333 * 500));
  });
});

describe('Modbus meter', () => {
  it('reads 32-bit registers into whole Wh with integer scaling; a bus error is a gap', async () => {
    const registers = new Map<number, number[]>([
      [0x0048, [0x0001, 0x86a0]], // 100,000 × 0.01 kWh
      [0x004a, [0x0000, 0x0c35]],
      [0x000c, [0xffff, 0xfc18]], // −1000 W
      [0x0000, [2301]],
    ]);
    let fail = false;
    const transport: ModbusTransport = {
      async readHoldingRegisters(_unit, address, count) {
        if (fail) throw new Error('CRC error');
        return registers.get(address)!.slice(0, count);
      },
    };
    const meter = new ModbusMeter(
      transport,
      1,
      {
        importWh: { address: 0x0048, whPerUnit: 10 },
        exportWh: { address: 0x004a, whPerUnit: 10 },
        power: { address: 0x000c, wPerUnit: 1 },
        voltage: { address: 0x0000, dVPerUnit: 1 },
      },
      () => 42,
    );
    expect(await meter.read()).toMatchObject({
      deviceTime: 42,
      importWh: 1_000_000,
      exportWh: 31_250,
      power: -1000,
      voltage: 2301,
    });
    fail = true;
    expect(await meter.read()).toBeNull();
  });
});
