export class MongoStandaloneError extends Error {
  override name = 'MongoStandaloneError';

  constructor() {
    super(
      'MongoDB is running as a standalone server, but this service needs transactions, which need a replica set. ' +
        'Run a single-node replica set: start mongod with --replSet rs0 and run rs.initiate() once ' +
        '(docker compose up does this for you), or use MongoDB Atlas.',
    );
  }
}

/** The fields of the `hello` command's answer that tell the deployment type. */
export interface HelloResponse {
  setName?: string;
  msg?: string;
}

/** Throws MongoStandaloneError unless `hello` shows a replica set member or a mongos router. */
export function assertTransactionsSupported(hello: HelloResponse): void {
  if (hello.setName || hello.msg === 'isdbgrid') return;
  throw new MongoStandaloneError();
}
