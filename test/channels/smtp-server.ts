/**
 * The SMTP server tests send to: the demo's in-process sink (src/channels/fakes/smtp-sink.ts),
 * a real SMTP server over the actual protocol. Reusable by any test that sends mail:
 *
 *   const smtp = await startSmtpServer();
 *   ... send to smtp.url ...
 *   const [mail] = await smtp.waitFor(1);
 *   await smtp.close();   // after closing the sending channel, whose pool holds connections
 */
export {
  type ReceivedEnvelope,
  type SmtpReply,
  type SmtpSink as TestSmtpServer,
  type SmtpSinkOptions as SmtpServerOptions,
  startSmtpSink as startSmtpServer,
} from '../../src/channels/fakes/smtp-sink.ts';
