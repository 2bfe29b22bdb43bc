import ct from 'countries-and-timezones';

/*
 * A lead's time zone (its calling hours are its local time): the file's time-zone column where
 * that is a real IANA zone, else the zone of its number's country where the whole country keeps
 * one local time, else the campaign's. Countries and their zones come from the
 * countries-and-timezones package (the IANA tz database's zone1970 and backward tables).
 */

const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/;

let spellings: Map<string, string> | undefined;
/** Every zone name known, by its lower case: the tz database's (links too) and the engine's. */
function spelling(name: string): string | undefined {
  if (!spellings) {
    spellings = new Map();
    for (const z of [
      ...Intl.supportedValuesOf('timeZone'),
      ...Object.keys(ct.getAllTimezones({ deprecated: true })),
    ])
      spellings.set(z.toLowerCase(), z);
  }
  return spellings.get(name.toLowerCase());
}

/**
 * The IANA zone a text names, spelt as the tz database spells it ("europe/london" →
 * Europe/London; Asia/Kolkata stays so, not the engine's older Asia/Calcutta); else undefined.
 */
export function ianaTimeZone(text: string): string | undefined {
  const name = text.trim();
  // Intl also takes offsets ("+10:00") in newer engines: those are not zones with rules.
  if (!ZONE_NAME.test(name)) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    return undefined;
  }
  return spelling(name) ?? name;
}

const offsetFormat = new Map<string, Intl.DateTimeFormat>();
/** The zone's UTC offset at an instant, as Intl writes it ("GMT+10:00"). */
function offsetAt(zone: string, at: Date): string {
  let f = offsetFormat.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    offsetFormat.set(zone, f);
  }
  return f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
}

/** Whether two zones show the same local time all through the year (same offsets, same changes). */
function sameLocalTime(a: string, b: string, year: number): boolean {
  // Mid-month and around the usual change dates: a zone with other DST dates differs on one of them.
  for (let month = 0; month < 12; month++)
    for (const day of [1, 8, 15, 22, 29]) {
      const at = new Date(Date.UTC(year, month, day, 12));
      if (offsetAt(a, at) !== offsetAt(b, at)) return false;
    }
  return true;
}

const byCountry = new Map<string, string | null>();

/**
 * The one time zone of a country (ISO 3166 code) whose whole territory keeps the same local time
 * (GB: Europe/London; NL: Europe/Amsterdam; DE: Europe/Berlin, its Büsingen keeping the same time);
 * undefined for a country with several local times (AU, US, ES with the Canaries) or unknown.
 * Where the database shares one zone between countries (NL and BE keep Brussels' rules), the
 * country's own name for it is given.
 */
export function countryTimeZone(country: string, year: number): string | undefined {
  const key = `${country}:${year}`;
  const known = byCountry.get(key);
  if (known !== undefined) return known ?? undefined;
  const zones = (ct.getTimezonesForCountry(country.toUpperCase()) ?? []).map((z) => z.name);
  let chosen: string | undefined;
  const first = zones[0];
  if (first && zones.every((z) => sameLocalTime(first, z, year))) {
    // The zone whose main country this is (Europe/Berlin for DE, not Europe/Zurich for Büsingen).
    const own = zones.find((z) => ct.getTimezone(z)?.countries[0] === country.toUpperCase()) ?? first;
    chosen = ownName(country.toUpperCase(), own) ?? own;
  }
  byCountry.set(key, chosen ?? null);
  return chosen;
}

/** The country's own link to a shared zone (Europe/Amsterdam for Europe/Brussels in NL), if any. */
function ownName(country: string, zone: string): string | undefined {
  if (ct.getTimezone(zone)?.countries[0] === country) return undefined;
  const links = Object.values(ct.getAllTimezones({ deprecated: true })).filter(
    (z) => z.aliasOf === zone && z.countries.length === 1 && z.countries[0] === country,
  );
  const named = links.find((z) => /^[A-Z][a-z]+\/[A-Z][A-Za-z_]+$/.test(z.name) && ianaTimeZone(z.name));
  return named?.name;
}

export type TimeZoneSource = 'column' | 'number' | 'campaign';

export interface TimeZoneChoice {
  zone: string;
  source: TimeZoneSource;
}

/**
 * The lead's zone: the column's where it names a zone, else the country of the lead's first
 * number if that country keeps one local time, else the campaign's.
 */
export function chooseTimeZone(input: {
  column?: string | undefined;
  /** The country (ISO 3166) of the lead's first number, as libphonenumber-js reads it. */
  country?: string | undefined;
  campaignZone: string;
  year: number;
}): TimeZoneChoice {
  const own = input.column ? ianaTimeZone(input.column) : undefined;
  if (own) return { zone: own, source: 'column' };
  const fromNumber = input.country ? countryTimeZone(input.country, input.year) : undefined;
  if (fromNumber) return { zone: fromNumber, source: 'number' };
  return { zone: input.campaignZone, source: 'campaign' };
}
