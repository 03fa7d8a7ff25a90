import { openApiDocument } from '../http/openapi';
import { json } from '../http/problem';

const document = openApiDocument();

export const handler = async () => json(200, document);
