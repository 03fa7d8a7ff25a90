import type { CompanyProfile } from '../core/company-profile';
import { companyFile, readConfig } from './config-files';

// The company profile (ADR position, appeal routes, letterhead) travels in the bundle like
// config/departments.json (`-c company=FILE` at deploy, config/company.json locally: config-files.ts); read and
// validated once at cold start, failing with every bad field named.
export function loadCompanyProfile(): CompanyProfile {
  return readConfig(companyFile);
}
