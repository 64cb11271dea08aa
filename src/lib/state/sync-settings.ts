// What the settings page needs of the sync configuration, without reaching into the sync layer.
export { formatIceServers, type ConfigError } from '$lib/sync/config';
