import Foundation
import Synchronization

extension TextPlanRenderer {
    /// From this many entries on, two threads write the text plan.
    static let parallelMinimum = 2_000
    /// Entries a thread writes at a time.
    static let blockSize = 512

    /// Writes the entries on two threads, in order: this one writes the even blocks of
    /// ``blockSize`` entries straight into `out`; the other writes the odd ones into buffers of
    /// their own, at most two ahead (the memory stays a few blocks' text), which this one appends
    /// in turn.
    func writeInParallel(_ entries: [PlanEntry], to out: inout OutputBuffer) {
        let blocks = stride(from: 0, to: entries.count, by: Self.blockSize).map {
            $0..<min($0 + Self.blockSize, entries.count)
        }
        let handoff = BlockHandoff(ahead: 2)
        _ = concurrently({
            var members: [CanonicalMember] = []
            entries.withUnsafeBufferPointer { entries in
                for b in blocks.indices {
                    if b.isMultiple(of: 2) {
                        writeEntries(entries, blocks[b], members: &members, to: &out)
                    } else {
                        handoff.take().withUnsafeBufferPointer { out.append($0) }
                        out.boundary()
                    }
                }
            }
        }, { [self] in
            var members: [CanonicalMember] = []
            var block = OutputBuffer(capacity: 1 << 20)
            entries.withUnsafeBufferPointer { entries in
                for b in stride(from: 1, to: blocks.count, by: 2) {
                    handoff.waitForRoom()
                    writeEntries(entries, blocks[b], members: &members, to: &block)
                    handoff.put(block.array)
                    block.removeAll()
                }
            }
        })
    }
}

/// Blocks of text passed from the thread that writes them to the one that appends them, in order,
/// with at most `ahead` waiting.
private final class BlockHandoff: Sendable {
    private let blocks = Mutex<[[UInt8]]>([])
    private let room: DispatchSemaphore
    private let ready = DispatchSemaphore(value: 0)

    init(ahead: Int) { room = DispatchSemaphore(value: ahead) }

    /// Waits until fewer than `ahead` blocks wait to be taken.
    func waitForRoom() { room.wait() }

    /// Hands on the next block (empty when its entries are all unchanged: it is handed on all the same).
    func put(_ block: [UInt8]) {
        blocks.withLock { $0.append(block) }
        ready.signal()
    }

    /// The next block, once it is written.
    func take() -> [UInt8] {
        ready.wait()
        defer { room.signal() }
        return blocks.withLock { $0.removeFirst() }
    }
}
