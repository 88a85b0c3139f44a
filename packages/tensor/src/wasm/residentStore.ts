import type { WeightStamp } from "../backend.js";
import { align, type KernelExports, type WasmKernels } from "./loader.js";

/**
 * How a weight is packed: `gemm` for `packGemmB` (the GEMM kernels, any number of rows), `row`
 * for `packRowB` (`rowProduct`, one row: a batch-1 step).
 */
export type PackLayout = "gemm" | "row";

/** Floats a weight (n × k) takes packed in `layout`. */
export function packedFloats(k: KernelExports, layout: PackLayout, n: number, kk: number): number {
  return layout === "row" ? k.rowPackedFloats(n, kk) : k.packedBFloats(n, kk);
}

/** Packs the weight (n × k, row-major) at byte address `src` into `dst` in `layout`. */
export function packWeight(k: KernelExports, layout: PackLayout, n: number, kk: number, src: number, dst: number): void {
  if (layout === "row") k.packRowB(n, kk, src, kk, dst);
  else k.packGemmB(1, n, kk, src, kk, dst);
}

/** One weight to keep packed: `op(B) = srcᵀ` with `src` (n, k) row-major, as `packGemmB(1, n, k, …)` takes it. */
export interface ResidentRequest {
  /** Identifies the source storage and its version (see `WeightStamp`). */
  readonly stamp: WeightStamp;
  /** Rows of `src`: columns of the product. */
  readonly n: number;
  /** Columns of `src`: the product's inner dimension. */
  readonly k: number;
  /** The weight's values (n·k float32, row-major), read only when it has to be packed. */
  readonly src: Float32Array;
  /** How to pack it (default `gemm`). */
  readonly layout?: PackLayout;
}

/** A packed weight kept in the resident area. */
interface Entry {
  /** Byte offset from the resident area's start; -1 once released. */
  offset: number;
  bytes: number;
  n: number;
  k: number;
  layout: PackLayout;
  version: number;
  /** Last use (the store's clock), for least-recently-used eviction. */
  used: number;
  /** The key's finalization token. */
  readonly token: object;
}

/** What the store holds now (for tests and diagnostics). */
export interface ResidentStats {
  /** Weights kept. */
  readonly entries: number;
  /** Bytes of packed weights kept. */
  readonly bytes: number;
  /** Bytes reserved in the kernels' memory for them (live entries plus free space). */
  readonly reserved: number;
  /** Packs done since the store was made (a hit packs nothing). */
  readonly packs: number;
}

/**
 * Packed GEMM right-hand operands kept in the kernels' memory across calls (the resident area,
 * `WasmKernels.reserveResident`), keyed by their source's `WeightStamp`: a weight is packed again
 * only when its stamp's version, its shape or its layout (`PackLayout`) changes. Entries go when their key is garbage
 * collected (a `FinalizationRegistry`), when `release`d, and least recently used first when the
 * area would pass `capBytes`. Addresses are only valid until the next `acquire` (entries move
 * when the area is compacted, and the area moves when the pinned area grows).
 * @example const at = store.acquire([{ stamp, n: 4 * H, k: H, src: whh }]); if (at) k.gemmPrepacked(…, at[0], …)
 */
export class ResidentStore {
  private readonly kernels: WasmKernels;
  /** Most bytes of the resident area. */
  readonly capBytes: number;
  private readonly byKey = new WeakMap<object, Entry>();
  private readonly live = new Set<Entry>();
  private readonly registry: FinalizationRegistry<Entry> | null;
  /** End of the last entry (bytes from the area's start): new entries go here. */
  private top = 0;
  private clock = 0;
  private packCount = 0;

  constructor(kernels: WasmKernels, capBytes: number) {
    this.kernels = kernels;
    this.capBytes = capBytes;
    this.registry = typeof FinalizationRegistry === "function" ? new FinalizationRegistry((e: Entry) => this.drop(e)) : null;
  }

  /** Entries, bytes and packs now. */
  stats(): ResidentStats {
    let bytes = 0;
    for (const e of this.live) bytes += e.bytes;
    return { entries: this.live.size, bytes, reserved: this.kernels.residentBytes, packs: this.packCount };
  }

  /** True when `stamp`'s key has an entry at `stamp`'s version. */
  holds(stamp: WeightStamp): boolean {
    const e = this.byKey.get(stamp.key);
    return e !== undefined && e.offset >= 0 && e.version === stamp.version;
  }

  /**
   * Byte addresses of every request's packed operand, all resident at once, packing those whose
   * stamp or shape changed; null (nothing packed, the caller runs without the store) when they
   * cannot all fit under `capBytes` or in memory. Scratch is free again afterwards.
   */
  acquire(requests: readonly ResidentRequest[]): number[] | null {
    const k = this.kernels.exports;
    const now = ++this.clock;
    const wanted = new Set<Entry>();
    const toPack: { e: Entry; r: ResidentRequest }[] = [];
    const seen = new Map<object, Entry>();
    let need = 0;
    for (const r of requests) {
      const layout = r.layout ?? "gemm";
      const bytes = align(packedFloats(k, layout, r.n, r.k) * 4);
      if (bytes > this.capBytes) return null;
      const same = seen.get(r.stamp.key);
      if (same) {
        // One source twice in a call (one weight in two roles): one entry, if the shapes agree.
        if (same.n !== r.n || same.k !== r.k || same.layout !== layout) return null;
        continue;
      }
      let e = this.byKey.get(r.stamp.key);
      if (e && e.offset >= 0 && e.n === r.n && e.k === r.k && e.layout === layout) {
        if (e.version !== r.stamp.version) toPack.push({ e, r });
      } else {
        if (e && e.offset >= 0) this.drop(e);
        e = { offset: -1, bytes, n: r.n, k: r.k, layout, version: r.stamp.version, used: now, token: {} };
        toPack.push({ e, r });
        need += bytes;
      }
      e.used = now;
      wanted.add(e);
      seen.set(r.stamp.key, e);
    }
    if (need > 0 && !this.makeRoom(need, wanted)) return null;
    // New entries go at the top; then everything is packed from a copy in scratch.
    for (const { e, r } of toPack) {
      if (e.offset < 0) {
        e.offset = this.top;
        this.top += e.bytes;
        this.live.add(e);
        this.byKey.set(r.stamp.key, e);
        this.registry?.register(r.stamp.key, e, e.token);
      }
    }
    for (const { e, r } of toPack) {
      const mem = this.kernels.ensure(r.n * r.k * 4);
      if (!mem) {
        for (const { e: x } of toPack) this.drop(x);
        return null;
      }
      const scratch = this.kernels.scratchBase;
      mem.set(r.src.subarray(0, r.n * r.k), scratch >> 2);
      packWeight(k, e.layout, r.n, r.k, scratch, this.kernels.residentBase + e.offset);
      e.version = r.stamp.version;
      this.packCount++;
    }
    const base = this.kernels.residentBase;
    return requests.map((r) => base + seen.get(r.stamp.key)!.offset);
  }

  /** Forgets `key`'s entry (its bytes are reused by later entries). */
  release(key: object): void {
    const e = this.byKey.get(key);
    if (e) this.drop(e);
  }

  /** Forgets every entry and gives the resident area back to scratch. */
  clear(): void {
    for (const e of [...this.live]) this.drop(e);
  }

  private drop(e: Entry): void {
    if (e.offset < 0) return;
    e.offset = -1;
    this.live.delete(e);
    this.registry?.unregister(e.token);
    if (this.live.size === 0) {
      this.top = 0;
      this.kernels.reserveResident(0);
    }
  }

  /**
   * Makes `need` bytes free at the top: compacts the live entries, evicts the least recently used
   * ones not in `keep` while the total would pass the cap, and grows the area (at least doubling).
   */
  private makeRoom(need: number, keep: ReadonlySet<Entry>): boolean {
    const reserved = this.kernels.residentBytes;
    if (this.top + need <= reserved) return true;
    let used = 0;
    for (const e of this.live) used += e.bytes;
    if (used + need > this.capBytes) {
      const victims = [...this.live].filter((e) => !keep.has(e)).sort((a, b) => a.used - b.used);
      for (const v of victims) {
        if (used + need <= this.capBytes) break;
        used -= v.bytes;
        this.drop(v);
      }
      if (used + need > this.capBytes) return false;
    }
    this.compact();
    if (this.top + need <= this.kernels.residentBytes) return true;
    const size = Math.min(this.capBytes, Math.max(this.top + need, 2 * this.kernels.residentBytes));
    return this.kernels.reserveResident(size) !== null;
  }

  /** Slides the live entries down to the area's start, in address order, so free space is one block at the top. */
  private compact(): void {
    const mem = this.kernels.ensure(0);
    if (!mem) return;
    const base = this.kernels.residentBase;
    let at = 0;
    for (const e of [...this.live].sort((a, b) => a.offset - b.offset)) {
      if (e.offset !== at) mem.copyWithin((base + at) >> 2, (base + e.offset) >> 2, (base + e.offset + e.bytes) >> 2);
      e.offset = at;
      at += e.bytes;
    }
    this.top = at;
  }
}

/** Most bytes of packed weights a kernels' memory keeps by default (a 2-layer LSTM(512, 512) takes 16 MiB). */
export const RESIDENT_CAP_BYTES = 256 * 1024 * 1024;

const stores = new WeakMap<WasmKernels, ResidentStore>();

/**
 * The resident store of `kernels`' memory: one per memory, shared by every backend made over it
 * (they share its resident area), capped at `RESIDENT_CAP_BYTES`.
 * @example const store = residentStore(kernels); store.stats().entries
 */
export function residentStore(kernels: WasmKernels): ResidentStore {
  let s = stores.get(kernels);
  if (!s) {
    s = new ResidentStore(kernels, RESIDENT_CAP_BYTES);
    stores.set(kernels, s);
  }
  return s;
}
