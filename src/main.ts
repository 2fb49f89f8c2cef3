import { Command, Option } from 'commander';
import { ConfigError } from './config.ts';

/** One program, named roles: each command lazy-imports only what it needs. */
const program = new Command('warden')
  .description('Warden: incidents, advisories, post posture, alerts, delivery, check-ins and accountability.')
  .showHelpAfterError();

program
  .command('serve')
  .description('Start the HTTP server (runs pending migrations first)')
  .action(async () => (await import('./cli/serve.ts')).serveCommand());

program
  .command('worker')
  .description('Run a delivery worker: sends queued messages (any number of workers on one PostgreSQL)')
  .option('--report <seconds>', 'print throughput every N seconds', '10')
  .action(async (opts: { report?: string }) => (await import('./cli/worker.ts')).workerCommand(opts));

const deliveries = program.command('deliveries').description('Who got what');
deliveries
  .command('progress')
  .description("A message's delivery progress per channel, e.g. warden deliveries progress notice:ID")
  .argument('<message>', 'the message reference (notice:…, alert:…)')
  .option('--watch', 'redraw every 2 s until nothing is left to send')
  .action(async (message: string, opts: { watch?: boolean }) =>
    (await import('./cli/deliveries.ts')).deliveriesProgressCommand(message, opts),
  );

program
  .command('migrate')
  .description('Apply pending database migrations')
  .action(async () => (await import('./cli/migrate.ts')).migrateCommand());

program
  .command('demo')
  .description('Start the server on a fresh SQLite demo database with the demo world and a demo admin')
  .option('--keep', 'keep the existing demo database instead of recreating it')
  .action(async (opts: { keep?: boolean }) => (await import('./cli/demo.ts')).demoCommand(opts));

const user = program.command('user').description('Manage staff users');
user
  .command('create')
  .description('Create a staff user and print its password once')
  .requiredOption('--email <email>', 'email address (the login name)')
  .addOption(
    new Option('--role <role>', 'role')
      .choices(['admin', 'crisis_manager', 'officer', 'viewer'])
      .makeOptionMandatory(),
  )
  .option('--scope <entries>', 'comma-separated scope: post:<id>, country:<ISO2> (required for officers)')
  .action(async (opts: { email: string; role: string; scope?: string }) =>
    (await import('./cli/user.ts')).userCreateCommand(opts),
  );

program
  .command('purge')
  .description(
    'Delete what retention no longer allows (ended trips, unverified enrollments, ...); prints counts',
  )
  .option('--dry-run', 'count what would be deleted, deleting nothing')
  .action(async (opts: { dryRun?: boolean }) => (await import('./cli/purge.ts')).purgeCommand(opts));

const audit = program.command('audit').description('Audit log');
audit
  .command('verify')
  .description('Re-compute the keyed hash chain and report the first broken entry (exit 1 if broken)')
  .option(
    '--since-checkpoint <file>',
    'also check the chain still holds this checkpoint (finds its newest entries removed)',
  )
  .action(async (opts: { sinceCheckpoint?: string }) =>
    (await import('./cli/audit.ts')).auditVerifyCommand(opts),
  );
audit
  .command('checkpoint')
  .description('Write a signed checkpoint of the chain head to data/audit-checkpoints/ and print it')
  .action(async () => (await import('./cli/audit.ts')).auditCheckpointCommand());

// Bulk imports of files; each data kind is a subcommand.
const imports = program.command('import').description('Import data from files');
imports
  .command('incidents')
  .description('Import an ACLED CSV export (idempotent by event_id_cnty); prints a per-row report')
  .argument('<file>', 'the CSV file, as ACLED publishes it')
  .option('--dry-run', 'check every row and report, writing nothing')
  .option('--report <file>', 'write the full JSON report (every error and warning) to this file')
  .action(async (file: string, opts: { dryRun?: boolean; report?: string }) =>
    (await import('./cli/import.ts')).importIncidentsCommand(file, opts),
  );
imports
  .command('enrollments')
  .description("Import an organisation's people and trips (CSV); idempotent by external_id")
  .argument('<file>', 'the CSV file: one row per trip, the rows of one person together')
  .requiredOption('--org <id>', 'the organisation (its id, or its exact name)')
  .option('--errors <file>', 'write every row not imported (row, field, reason) to this CSV file')
  .action(async (file: string, opts: { org: string; errors?: string }) =>
    (await import('./cli/import.ts')).importEnrollmentsCommand(file, opts),
  );

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`warden: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
