// aws-local-stepfunctions needs Promise.withResolvers (Node 22); the local runtime installs the same polyfill.
import '../local/node20-polyfills';
