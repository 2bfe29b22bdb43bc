import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * A phone number as people write it ("02 9374 4000", "+1 (412) 555-0109 x12") in E.164, read in
 * the workspace's default country as the dial plan reads numbers; undefined if it is not one.
 */
export function toE164(text: string, defaultCountry: string): string | undefined {
  const parsed = parsePhoneNumberFromString(text.trim(), defaultCountry as CountryCode);
  return parsed?.isValid() ? parsed.number : undefined;
}
