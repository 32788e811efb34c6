#if canImport(Glibc)
import Glibc
#endif

/// A pager reading what a command prints, as `git` does: `$PAGER`, else `less -FRX` (which quits at once when the
/// output fits the screen), only when standard output is a terminal.
final class Pager {
    /// Where the command writes its output.
    let descriptor: Int32
    private let process: pid_t

    private init(descriptor: Int32, process: pid_t) {
        self.descriptor = descriptor
        self.process = process
    }

    /// The default pager's command.
    static let defaultCommand = "less -FRX"

    /// Starts the pager; nil when standard output is not a terminal, `$PAGER` is empty or `cat`, or `$PAGER` is unset
    /// and `less` is not installed.
    static func start() -> Pager? {
        guard Terminal.stdoutIsTerminal else { return nil }
        let command: String
        if let pager = getenv("PAGER").map({ String(cString: $0) }) {
            guard !pager.isEmpty, pager != "cat" else { return nil }
            command = pager
        } else {
            guard installed("less") else { return nil }
            command = defaultCommand
        }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return nil }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[0], 0)
        let arguments = ["/bin/sh", "-c", command].map { (argument: String) in strdup(argument) }
        defer { for argument in arguments { free(argument) } }
        // The pager starts with no signal blocked and SIGPIPE and SIGINT at their defaults, whatever this thread
        // blocks (Dispatch's threads block most signals; the pager must see Ctrl-C, window resizes and SIGTERM).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(truncatingIfNeeded: POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var process = pid_t()
        let spawned = posix_spawn(&process, "/bin/sh", &actions, &attributes, arguments + [nil], environ)
        close(ends[0])
        guard spawned == 0 else {
            close(ends[1])
            return nil
        }
        // The pager owns the terminal now: quitting it early must not kill ledgerctl with SIGPIPE, and Ctrl-C
        // goes to the pager, which ledgerctl waits for.
        signal(SIGPIPE, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        return Pager(descriptor: ends[1], process: process)
    }

    /// Ends the output and waits until the person quits the pager.
    func finish() {
        close(descriptor)
        var status: Int32 = 0
        while waitpid(process, &status, 0) < 0, errno == EINTR {}
    }

    /// Whether `program` is an executable file in a directory of `$PATH`.
    private static func installed(_ program: String) -> Bool {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { access("\($0)/\(program)", X_OK) == 0 }
    }
}
