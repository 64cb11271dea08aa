import { beforeEach } from 'vitest';
import { persistenceAdapterSuite } from '../storage/persistence-adapter-suite';
import { vaultAdapterSuite } from '../storage/vault-adapter-suite';
import { memoryPersistence, MemoryVault } from './memory-adapters';

// The in-memory adapters the session tests use keep the same contracts as the real ones.
let vault = new MemoryVault();
let updates: Uint8Array[] = [];

beforeEach(() => {
	vault = new MemoryVault();
	updates = [];
});

vaultAdapterSuite('The in-memory vault', { open: () => vault });
persistenceAdapterSuite('The in-memory document', { adapter: () => memoryPersistence(updates) });
