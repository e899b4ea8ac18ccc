export { jsonColumn, QUOTING_TABLES, quoteDefinition, saleDefinition } from './quotes-definition.js';
export {
  allocateQuoteNumber,
  createMysqlQuoting,
  type MysqlQuoting,
  type MysqlQuotingOptions,
  type OpenQuoteInput,
  type OpenQuoteRejection,
} from './quotes-service.js';
