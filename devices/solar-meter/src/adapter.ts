// How the gateway reads a meter: a MeterAdapter gives one sample at a time. The simulated plant is one;
// ModbusMeter reads a real meter's registers through any Modbus transport (RTU over RS-485, or TCP), so a
// serial library plugs in without the gateway knowing.

/** One reading of the meter as the meter itself reports it. */
export interface MeterSample {
  /** The meter's (or gateway's) clock, UTC ms. */
  readonly deviceTime: number;
  /**
   * The meter's own boot or reset count, when it reports one. The gateway starts a new epoch whenever
   * it changes, or whenever a register goes down.
   */
  readonly boots?: number;
  /** Cumulative import and export registers, whole Wh. */
  readonly importWh: number;
  readonly exportWh: number;
  /** W, 0.1 V, 0.1 °C, W/m². */
  readonly power: number;
  readonly voltage: number;
  readonly temperature: number;
  readonly irradiance: number;
}

export interface MeterAdapter {
  /** The current sample, or null when the meter cannot be read now (the gateway records a gap). */
  read(now?: number): Promise<MeterSample | null>;
}

/** A Modbus transport: function 0x03 (read holding registers) of one unit. */
export interface ModbusTransport {
  readHoldingRegisters(unit: number, address: number, count: number): Promise<readonly number[]>;
}

/** Where a meter model keeps its values: register addresses of 32-bit unsigned (big-endian words) values and their scale. */
export interface RegisterMap {
  /** Import energy register and its unit in Wh (e.g. 10 for 0.01 kWh). */
  importWh: { address: number; whPerUnit: number };
  exportWh: { address: number; whPerUnit: number };
  /** Signed 32-bit active power, W per unit. */
  power: { address: number; wPerUnit: number };
  /** Voltage register, 0.1 V per unit (16 bit). */
  voltage: { address: number; dVPerUnit: number };
}

/**
 * A meter read over Modbus. Registers are integers scaled to whole Wh with integer arithmetic, never
 * through floating kWh. Temperature and irradiance are 0 unless a sensor transport is added.
 */
export class ModbusMeter implements MeterAdapter {
  constructor(
    private readonly transport: ModbusTransport,
    private readonly unit: number,
    private readonly map: RegisterMap,
    private readonly clock: () => number = Date.now,
  ) {}

  async read(): Promise<MeterSample | null> {
    try {
      const u32 = async (address: number) => {
        const [hi = 0, lo = 0] = await this.transport.readHoldingRegisters(this.unit, address, 2);
        return hi * 65_536 + lo;
      };
      const i32 = async (address: number) => {
        const v = await u32(address);
        return v >= 2 ** 31 ? v - 2 ** 32 : v;
      };
      const [imp, exp, power, [voltage = 0]] = await Promise.all([
        u32(this.map.importWh.address),
        u32(this.map.exportWh.address),
        i32(this.map.power.address),
        this.transport.readHoldingRegisters(this.unit, this.map.voltage.address, 1),
      ]);
      return {
        deviceTime: this.clock(),
        importWh: imp * this.map.importWh.whPerUnit,
        exportWh: exp * this.map.exportWh.whPerUnit,
        power: power * this.map.power.wPerUnit,
        voltage: voltage * this.map.voltage.dVPerUnit,
        temperature: 0,
        irradiance: 0,
      };
    } catch {
      // A timeout or CRC error on the bus is a gap, not a crash.
      return null;
    }
  }
}
