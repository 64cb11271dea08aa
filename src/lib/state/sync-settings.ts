// What the settings page needs of the sync configuration, checked as the member types them.
export { formatIceServers, type ConfigError } from '$lib/util/sync-config';
