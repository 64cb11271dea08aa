import { beforeEach } from 'vitest';
import { vaultAdapterSuite } from '../storage/vault-adapter-suite';
import { MemoryVault } from './memory-adapters';

// The in-memory vault the session tests use keeps the same contract as the real ones.
let vault = new MemoryVault();

beforeEach(() => {
	vault = new MemoryVault();
});

vaultAdapterSuite('The in-memory vault', { open: () => vault });
