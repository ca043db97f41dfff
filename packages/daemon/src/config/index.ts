export { applyEnvOverrides, envName, SETTING_KINDS, type ValueKind } from './env.ts';
export { CONFIG_FILE_NAME, type InitOptions, type InitResult, initConfig } from './init.ts';
export { nodeSecretKey } from './keys.ts';
export { type ConfigResult, loadConfig, parseSettings } from './load.ts';
export {
  type PriceSourceConfig,
  priceSourceSchema,
  SECTIONS,
  type SectionName,
  type Settings,
  type SettingsInput,
  settingsObject,
  settingsSchema,
} from './schema.ts';
export { defaultConfigToml, SIMULATED_PRICES } from './template.ts';
