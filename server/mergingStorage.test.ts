import { describe, expect, it } from 'vitest';
import { MemoryStorage } from 'botbuilder';
import { MergingStorage } from './mergingStorage';

const quiet = () => {};

describe('MergingStorage: an eTag conflict between two instances is merged and written again', () => {
  it("keeps both turns' changes to different properties, and the later turn's change to the same one", async () => {
    const shared = new MemoryStorage();
    const [a, b] = [new MergingStorage(shared, quiet), new MergingStorage(shared, quiet)];
    await a.write({ conv: { pending: { text: 'first' }, kept: 1 } });
    // Both instances read the same version, then both save.
    const [readA, readB] = [(await a.read(['conv'])).conv, (await b.read(['conv'])).conv];
    await b.write({ conv: { ...readB, note: 'José Álvarez', kept: 1 } });
    await a.write({ conv: { ...readA, pending: { text: '¿Está José?' } } });
    const { eTag: _e, ...stored } = (await shared.read(['conv'])).conv;
    expect(stored).toEqual({ pending: { text: '¿Está José?' }, note: 'José Álvarez', kept: 1 });
  });

  it('applies a removal over the newer document', async () => {
    const shared = new MemoryStorage();
    const [a, b] = [new MergingStorage(shared, quiet), new MergingStorage(shared, quiet)];
    await a.write({ conv: { pending: { text: 'q' } } });
    const [readA, readB] = [(await a.read(['conv'])).conv, (await b.read(['conv'])).conv];
    await b.write({ conv: { ...readB, other: true } });
    const { pending: _p, ...withoutPending } = readA;
    await a.write({ conv: withoutPending });
    const { eTag: _e, ...stored } = (await shared.read(['conv'])).conv;
    expect(stored).toEqual({ other: true });
  });

  it("still fails a conditional create it never read (the token exchange's duplicate check)", async () => {
    const shared = new MemoryStorage();
    const [a, b] = [new MergingStorage(shared, quiet), new MergingStorage(shared, quiet)];
    await a.write({ exchange: { eTag: 'x1' } });
    await expect(b.write({ exchange: { eTag: 'x1' } })).rejects.toThrow(/eTag conflict/);
  });
});
