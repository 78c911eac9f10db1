import type { RetentionDays } from '../audit/retention.ts';
import type { ClamdAddress } from '../scanning/clamdAddress.ts';
import type { IdentitySettings } from './identitySettings.ts';

/** The validated configuration the server runs with. Built by `loadConfig`. */
export interface Config {
  /** Address to listen on. Anything but loopback requires TLS. */
  host: string;
  port: number;
  /** The origin users reach the server at, e.g. `https://meet.example.org`; used in links. */
  publicUrl: string;
  /** Folder for the embedded database, keyring and secrets. */
  dataDir: string;
  /** PostgreSQL connection string; absent means embedded PGlite in `dataDir/db`. */
  databaseUrl: string | undefined;
  /** Redis connection string; absent means the in-process bus. */
  redisUrl: string | undefined;
  tls: { certFile: string; keyFile: string } | undefined;
  /** 32+ random bytes that sign session cookies; from SESSION_SECRET_FILE or generated in dataDir. */
  sessionSecret: Buffer;
  media: {
    workers: number;
    listenIp: string;
    announcedIp: string | undefined;
    rtcMinPort: number;
    rtcMaxPort: number;
    workerBin: string;
  };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Folder with the built web client. */
  webRoot: string;
  audit: {
    /** AUDIT_CHECKPOINT_FILE: a file (outside the data folder) every checkpoint is appended to. */
    checkpointFile: string | undefined;
    /** AUDIT_CHECKPOINT_URL: a witness endpoint every checkpoint is POSTed to. */
    checkpointUrl: string | undefined;
    /** AUDIT_RETENTION_DAYS, e.g. `default=365,meeting=90`: days per event class. */
    retentionDays: RetentionDays;
  };
  /** Sign-in: identity providers, session timeouts, MFA roles; defaults when absent. */
  identity?: IdentitySettings;
  /** Virus scan of uploads with clamd (CLAMD_ADDRESS); absent means uploads are not scanned. */
  virusScan?: VirusScanSettings;
}

/** CLAMD_ADDRESS and CLAMD_TIMEOUT_SECONDS: where clamd listens and how long a scan may take. */
export interface VirusScanSettings {
  clamd: ClamdAddress;
  timeoutMs: number;
}
