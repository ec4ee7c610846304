import Foundation

// vpnform-bench: measures vpnform on generated estates (fixed seed) and prints a Markdown table.
//
//   swift run -c release vpnform-bench run [--sizes 1000,10000,100000] [--runs 5] [--apply] [--callgrind] [--dir DIR]
//   swift run -c release vpnform-bench generate N DIR [--desired-only]
//   swift run -c release vpnform-bench check [N,N]          (same diagnostics and plans as before the optimisation)
//   swift run -c release vpnform-bench refresh [N] [--latency MS]   (the live read of N pairs: calls and wall time)
//   vpnform-bench stage floor|validate|plan|render|digests FILE [--sequential]
//                                   (one measurement, run by `run` in a child process; --sequential
//                                    keeps plan on one thread, for valgrind --tool=callgrind)
//
// Each stage runs in its own process so that its peak resident memory (getrusage) is its own;
// times are measured inside the child, after start-up, around the stage alone.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("vpnform-bench: \(message)\n".utf8))
    exit(64)
}

let args = Array(CommandLine.arguments.dropFirst())
switch args.first {
case "generate":
    guard (3...4).contains(args.count), let n = Int(args[1]), n > 0, args.count == 3 || args[3] == "--desired-only" else {
        fail("usage: vpnform-bench generate N DIR [--desired-only]")
    }
    let (yaml, pairs) = try Estates.generate(pairs: n, in: URL(fileURLWithPath: args[2]), withState: args.count == 3)
    print("wrote \(yaml) (\(pairs) pairs)\(args.count == 3 ? " and its state" : "")")
case "stage":
    guard (3...4).contains(args.count), let stage = Stage(rawValue: args[1]), args.count == 3 || args[3] == "--sequential" else {
        fail("usage: vpnform-bench stage floor|validate|plan|render|digests FILE [--sequential]")
    }
    let m = try stage.measure(file: args[2], sequential: args.count == 4)
    print("\(m.seconds) \(m.peakKB)")
case "check":
    let sizes = args.count == 2 ? args[1].split(separator: ",").compactMap { Int($0) } : [1000, 10000]
    try Check(dir: URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("vpnform-check")).run(sizes: sizes)
case "refresh":
    let n = args.count > 1 ? Int(args[1]) ?? 10_000 : 10_000
    let latency = args.firstIndex(of: "--latency").flatMap { args.count > $0 + 1 ? Int(args[$0 + 1]) : nil } ?? 50
    let done = DispatchSemaphore(value: 0)
    let bench = RefreshBench(pairs: n, latencyMS: latency,
                             dir: URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("vpnform-refresh"))
    Task.detached {
        do { try await bench.run() } catch { fail("\(error)") }
        done.signal()
    }
    done.wait()
case "run":
    // The main thread waits on a semaphore rather than being an async main, so that the `stage`
    // children run plain synchronous code (valgrind's callgrind cannot follow an async main).
    let done = DispatchSemaphore(value: 0)
    let run = BenchmarkRun(arguments: Array(args.dropFirst()))
    Task.detached {
        do { try await run.run() } catch { fail("\(error)") }
        done.signal()
    }
    done.wait()
default:
    fail("usage: vpnform-bench run [--sizes N,N] [--runs R] [--apply] [--callgrind] [--dir DIR] | generate N DIR [--desired-only] | check [N,N] | stage NAME FILE")
}
