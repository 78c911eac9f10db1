/**
 * The composition root: `npm start` runs this file. Reads the configuration, wires the
 * server, listens, and shuts down gracefully on SIGINT/SIGTERM.
 */
import { createServer, type Server } from './App.ts';
import { ConfigError } from './config/ConfigError.ts';
import { loadConfig } from './config/loadConfig.ts';
import type { Config } from './config/Config.ts';
import { createLogger } from './observability/createLogger.ts';

/** How long a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 5_000;

async function loadConfigOrExit(): Promise<Config> {
  try {
    return await loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = await loadConfigOrExit();
  const logger = createLogger(config);
  let server: Server;
  try {
    server = await createServer(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'the server could not start');
    process.exitCode = 1;
    return;
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    server
      .close()
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => {
    stop('SIGINT');
  });
  process.on('SIGTERM', () => {
    stop('SIGTERM');
  });

  try {
    const address = await server.app.listen({ host: config.host, port: config.port });
    logger.info(
      {
        address,
        url: config.publicUrl,
        database: server.database.backend,
        mediaWorkers: server.media.aliveWorkers(),
      },
      `Konvent is listening; open ${config.publicUrl}`,
    );
    // No default account exists: the first admin comes from a one-time link, printed on
    // the terminal (not into the log, which may be shipped elsewhere) at every start until
    // someone has used one. A new start voids the previous link.
    const setup = await server.accounts.setupLinkIfNeeded();
    if (setup !== undefined) {
      process.stdout.write(
        `\nNo account exists yet. Create the first administrator with this one-time link ` +
          `(valid until ${setup.expiresAt.toISOString()}):\n\n  ${setup.link}\n\n`,
      );
    }
  } catch (error) {
    logger.fatal({ err: error }, 'could not listen');
    await server.close();
    process.exitCode = 1;
  }
}

await main();
