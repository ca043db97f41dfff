// Reading the config: TOML file → environment overrides → validation. Errors are values; each one
// names the setting (`mostro.fee: expected a number between 0 and 1`) so start-up can stop with it.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { z } from 'zod';
import { applyEnvOverrides } from './env.ts';
import { type Settings, settingsSchema } from './schema.ts';

export type ConfigResult = { ok: true; settings: Settings } | { ok: false; errors: string[] };

const describe = (issue: z.core.$ZodIssue, fromEnv: Map<string, string>): string => {
  const path = issue.path.map(String).join('.');
  if (path === '') return issue.message;
  // Point at the environment variable when the bad value came from one.
  const top = issue.path.slice(0, 2).map(String).join('.');
  const env = fromEnv.get(top);
  return `${path}${env ? ` (from ${env})` : ''}: ${issue.message}`;
};

/** Validates a parsed config document (plus environment overrides) into Settings. */
export function parseSettings(
  doc: Record<string, unknown>,
  env: Record<string, string | undefined> = {},
): ConfigResult {
  const copy = structuredClone(doc);
  const overrides = applyEnvOverrides(copy, env);
  const parsed = settingsSchema.safeParse(copy);
  const errors = [...overrides.errors];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        const at = issue.path.map(String).join('.');
        for (const key of issue.keys) errors.push(`${at ? `${at}.` : ''}${key}: unknown setting`);
      } else {
        errors.push(describe(issue, overrides.applied));
      }
    }
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, settings: parsed.data };
}

/**
 * Loads the config file at `path`, applies `MOSTRO_<SECTION>_<KEY>` overrides from `env` and
 * validates it. A relative `database.path` is resolved against the config file's directory.
 */
export function loadConfig(path: string, env: Record<string, string | undefined> = process.env): ConfigResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      errors: [
        code === 'ENOENT' ? `config file not found: ${path} (run \`mostrod init\`)` : `cannot read ${path}: ${code}`,
      ],
    };
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    return { ok: false, errors: [`${path}: invalid TOML: ${(err as Error).message.split('\n')[0]}`] };
  }
  const result = parseSettings(doc, env);
  if (!result.ok) return result;
  const db = result.settings.database;
  if (!isAbsolute(db.path) && db.path !== ':memory:') db.path = resolve(dirname(path), db.path);
  return result;
}
