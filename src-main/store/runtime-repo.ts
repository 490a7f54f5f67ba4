import type { Database } from 'better-sqlite3';
import {
  GatewayExitSchema,
  type GatewayStatus,
  type GatewayState,
} from '../../src-shared/domain/gateway.js';

interface RuntimeRow {
  gateway_state: GatewayState;
  gateway_pid: number | null;
  gateway_identity: string | null;
  gateway_started_at: number | null;
  gateway_ready_at: number | null;
  gateway_restarts: number;
  gateway_last_exit: string | null;
  gateway_message: string | null;
  gateway_next_restart_at: number | null;
  supervisor_pid: number | null;
  supervisor_identity: string | null;
  supervisor_socket: string | null;
}

/** A process the CLI may need to find later, with its start identity (guards pid reuse). */
export interface ProcessRecord {
  pid: number;
  identity: string | null;
}

/** The running supervisor, as recorded by itself. */
export interface SupervisorRecord extends ProcessRecord {
  socketPath: string | null;
}

/** Reads and writes who is running: the gateway process and the supervisor owning it. */
export interface RuntimeRepo {
  readGateway(): { status: GatewayStatus; process: ProcessRecord | null };
  writeGateway(status: GatewayStatus, identity: string | null): void;
  /**
   * Writes `status` only if the record still names this process: a late writer (a gateway
   * exiting, a slow kill report) must never erase a newer gateway's record.
   */
  writeGatewayIf(expected: ProcessRecord, status: GatewayStatus, identity: string | null): boolean;
  readSupervisor(): SupervisorRecord | null;
  writeSupervisor(record: SupervisorRecord | null): void;
}

/** The runtime repository over the shared database. */
export function createRuntimeRepo(db: Database): RuntimeRepo {
  const select = db.prepare<[], RuntimeRow>('SELECT * FROM runtime WHERE id = 1');
  const writeGatewayStmt = db.prepare(
    `UPDATE runtime SET gateway_state = @state, gateway_pid = @pid, gateway_identity = @identity,
       gateway_started_at = @startedAt, gateway_ready_at = @readyAt, gateway_restarts = @restarts,
       gateway_last_exit = @lastExit, gateway_message = @message,
       gateway_next_restart_at = @nextRestartAt, updated_at = @now
     WHERE id = 1`,
  );
  const writeSupervisorStmt = db.prepare(
    `UPDATE runtime SET supervisor_pid = ?, supervisor_identity = ?, supervisor_socket = ?,
       updated_at = ? WHERE id = 1`,
  );

  function row(): RuntimeRow {
    const r = select.get();
    if (!r) throw new Error('runtime row is missing; the database was not migrated');
    return r;
  }

  const repo: RuntimeRepo = {
    readGateway() {
      const r = row();
      const status: GatewayStatus = {
        state: r.gateway_state,
        pid: r.gateway_pid,
        startedAt: r.gateway_started_at,
        readyAt: r.gateway_ready_at,
        restarts: r.gateway_restarts,
        lastExit: r.gateway_last_exit
          ? GatewayExitSchema.parse(JSON.parse(r.gateway_last_exit))
          : null,
        nextRestartAt: r.gateway_next_restart_at,
        message: r.gateway_message,
      };
      const process =
        r.gateway_pid === null ? null : { pid: r.gateway_pid, identity: r.gateway_identity };
      return { status, process };
    },
    writeGateway(status, identity) {
      writeGatewayStmt.run({
        state: status.state,
        pid: status.pid,
        identity: status.pid === null ? null : identity,
        startedAt: status.startedAt,
        readyAt: status.readyAt,
        restarts: status.restarts,
        lastExit: status.lastExit ? JSON.stringify(status.lastExit) : null,
        message: status.message,
        nextRestartAt: status.nextRestartAt,
        now: Date.now(),
      });
    },
    writeGatewayIf(expected, status, identity) {
      return db
        .transaction(() => {
          const current = row();
          if (
            current.gateway_pid !== expected.pid ||
            current.gateway_identity !== expected.identity
          )
            return false;
          repo.writeGateway(status, identity);
          return true;
        })
        .immediate();
    },
    readSupervisor() {
      const r = row();
      if (r.supervisor_pid === null) return null;
      return {
        pid: r.supervisor_pid,
        identity: r.supervisor_identity,
        socketPath: r.supervisor_socket,
      };
    },
    writeSupervisor(record) {
      writeSupervisorStmt.run(
        record?.pid ?? null,
        record?.identity ?? null,
        record?.socketPath ?? null,
        Date.now(),
      );
    },
  };
  return repo;
}
