/**
 * Figures of the running process and its files, read at every scrape of /metrics: database
 * and backup sizes, CPU time, resident memory, free disk space and uptime.
 */
import { statfsSync } from "node:fs";
import process from "node:process";
import type { BotMetrics } from "./metrics.ts";
import { processUptimeSeconds } from "./health.ts";

/** Where the files measured live. */
export interface RuntimePaths {
  /** The SQLite database (its -wal file is counted with it). */
  dbPath: string;
  backupDir: string;
  /** The data folder, whose file system's free space is reported. */
  dataDir: string;
}

function fileSize(path: string): number {
  try {
    return Deno.statSync(path).size;
  } catch {
    return 0;
  }
}

/** The number and total size of the files directly in `dir` (0, 0 when it is missing). */
function folderSize(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  try {
    for (const entry of Deno.readDirSync(dir)) {
      if (!entry.isFile) continue;
      files++;
      bytes += fileSize(`${dir}/${entry.name}`);
    }
  } catch {
    // No backups yet.
  }
  return { files, bytes };
}

function freeBytes(dir: string): number {
  try {
    const s = statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return NaN;
  }
}

/** Registers the runtime gauges on `metrics`; their values are read when /metrics is scraped. */
export function watchRuntime(metrics: BotMetrics, paths: RuntimePaths): void {
  const r = metrics.registry;
  const dbSize = r.gauge("database_size_bytes", "Size of the SQLite database and its WAL file.");
  const backupBytes = r.gauge(
    "backups_size_bytes",
    "Total size of the files in the backup folder.",
  );
  const backupFiles = r.gauge("backups_count", "Number of files in the backup folder.");
  const cpu = r.gauge("process_cpu_seconds_total", "User and system CPU time used, in seconds.");
  const rss = r.gauge("process_resident_memory_bytes", "Resident memory (RSS) of the process.");
  const disk = r.gauge("disk_free_bytes", "Free space for the data folder's file system.");
  const uptime = r.gauge("process_uptime_seconds", "Seconds since the process started.");
  metrics.onRender(() => {
    dbSize.set(undefined, fileSize(paths.dbPath) + fileSize(`${paths.dbPath}-wal`));
    const backups = folderSize(paths.backupDir);
    backupBytes.set(undefined, backups.bytes);
    backupFiles.set(undefined, backups.files);
    const usage = process.cpuUsage();
    cpu.set(undefined, (usage.user + usage.system) / 1e6);
    rss.set(undefined, Deno.memoryUsage().rss);
    disk.set(undefined, freeBytes(paths.dataDir));
    uptime.set(undefined, processUptimeSeconds());
  });
}
