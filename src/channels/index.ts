export { createEmailChannel, type EmailChannelOptions } from './email.ts';
export { classifySmtpError, smtpQueueId } from './smtp-errors.ts';
export * from './types.ts';
