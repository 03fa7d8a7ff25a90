import {
  allowedActions,
  dynamoDbActionsOf,
  dynamoDbRequestActions,
  functionPolicy,
  runAs,
  stepFunctionsRequestActions,
} from '../../local/function-policies';
import type { InterceptedRequest } from '../../lambdas/adapters/aws-wire/signed-transport';
import type { WireResponse } from '../../lambdas/adapters/aws-wire/node-http-post';

// IAM on this machine (local/function-policies.ts): a handler's AWS calls are refused, as AWS refuses them, when
// its function's role (lambdas/functions.ts, which CDK turns into policies) does not allow them.

const stateMachines = { workflow: 'arn:workflow', deliveries: 'arn:deliveries' };

/** A signed request as the client's interceptors see it. */
function signedRequest(url: string, target: string, body: unknown): InterceptedRequest {
  const request: InterceptedRequest = {
    url,
    headers: { get: (name) => (name.toLowerCase() === 'x-amz-target' ? target : null) },
    text: () => Promise.resolve(JSON.stringify(body)),
    clone: () => request,
  };
  return request;
}

const dynamoRequest = (operation: string, body: unknown) => signedRequest('http://dynamodb.local/', `DynamoDB_20120810.${operation}`, body);

const answered: WireResponse = { ok: true, status: 200, headers: { get: () => null }, text: () => Promise.resolve('{}') };

describe('local IAM', () => {
  it('needs each part of a transaction as IAM does: PutItem, UpdateItem, DeleteItem, ConditionCheckItem', () => {
    const parts = [{ Put: {} }, { Update: {} }, { Put: {} }, { ConditionCheck: {} }, { Delete: {} }];
    expect(dynamoDbActionsOf('TransactWriteItems', { TransactItems: parts }).sort()).toEqual([
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(dynamoDbActionsOf('TransactGetItems', {})).toEqual(['dynamodb:GetItem']);
    expect(dynamoDbActionsOf('Query', {})).toEqual(['dynamodb:Query']);
  });

  it("allows a function the catalog's table actions and grants, and tells the two state machines apart", () => {
    const starter = allowedActions('workflowStarter', stateMachines);
    expect([starter('states:StartExecution', 'arn:workflow'), starter('states:StartExecution', 'arn:deliveries')]).toEqual([true, false]);
    const status = allowedActions('customerStatus', stateMachines);
    expect([status('dynamodb:Query'), status('dynamodb:DeleteItem'), status('ses:SendEmail'), status('states:SendTaskSuccess')]).toEqual([
      true,
      false,
      false,
      true,
    ]);
  });

  it('answers a call the running function may not make with AccessDeniedException and never sends it', async () => {
    const sent: InterceptedRequest[] = [];
    const next = async (request: InterceptedRequest) => (sent.push(request), answered);
    const policy = functionPolicy(dynamoDbRequestActions, stateMachines);
    const answer = await runAs('health', () => policy(dynamoRequest('PutItem', {}), next));
    expect(answer.status).toBe(400);
    expect((JSON.parse(await answer.text()) as { __type: string; message: string }).__type).toBe('AccessDeniedException');
    const transaction = dynamoRequest('TransactWriteItems', { TransactItems: [{ Update: {} }, { Delete: {} }] });
    expect((await runAs('advanceComplaint', () => policy(transaction, next))).status).toBe(400);
    expect(sent).toHaveLength(0);
  });

  it('sends what the role allows, and anything made outside a function (the runtime, a test)', async () => {
    const sent: InterceptedRequest[] = [];
    const next = async (request: InterceptedRequest) => (sent.push(request), answered);
    const policy = functionPolicy(stepFunctionsRequestActions, stateMachines);
    const start = signedRequest('http://sfn.local/', 'AWSStepFunctions.StartExecution', { stateMachineArn: 'arn:workflow' });
    expect((await runAs('workflowStarter', () => policy(start.clone(), next))).status).toBe(200);
    expect((await policy(start.clone(), next)).status).toBe(200);
    expect((await runAs('intake', () => policy(start.clone(), next))).status).toBe(400);
    expect(sent).toHaveLength(2);
  });
});
