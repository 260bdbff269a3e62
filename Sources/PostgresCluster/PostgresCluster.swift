// PostgresCluster: real PostgreSQL clusters for the emulator, one per emulated service.
//
// - `PostgresInstallations` finds the installed majors (Debian's /usr/lib/postgresql/N, the wheels in the
//   project's .venv, extra directories from MPG_PG_SEARCH_PATH) and picks one for a requested major.
// - `ClusterUser` is who the clusters run as: an unprivileged system user when this process is root
//   (PostgreSQL refuses root), the current user otherwise. It also places directories that user can reach.
// - `ClusterTemplate` is an initdb'd data directory per installation; new clusters copy it.
// - `Cluster` is one service's cluster: its own loopback address on port 5432, a private unix socket,
//   TLS with scram-sha-256, start/stop/restart, admin SQL through psql on stdin.
// - `ClusterReaper` stops postmasters left running under a directory by an earlier run.
//
// Imports: Glibc, SystemPackage (file descriptors and paths for Subprocess), Subprocess, Logging.
// No Foundation.
