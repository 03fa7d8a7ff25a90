import { parseCompanyProfile, type CompanyProfile } from '../core/company-profile';
import companyFile from '../../config/company.json';

// The company profile (ADR position, appeal routes, letterhead) travels in the bundle like
// config/departments.json; read and validated once at cold start, failing with every bad field named.
export function loadCompanyProfile(data: unknown = companyFile, source = 'config/company.json'): CompanyProfile {
  return parseCompanyProfile(data, source);
}
