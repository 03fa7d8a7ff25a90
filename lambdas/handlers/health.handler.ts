import { json } from '../http/problem';

export const handler = async () => json(200, { status: 'ok' });
