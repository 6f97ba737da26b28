/** One step of a back end's schema; applied in order once each and recorded in schema_migrations. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
