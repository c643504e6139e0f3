import ArgumentParser
import Foundation
import Kernels
import Translate

/// `onnxrun encoder.onnx decoder.onnx [decoder_with_past.onnx]` or `onnxrun MODEL_DIR`: translation.
struct TranslateCommand: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "translate",
        abstract: "Translate with an encoder and decoder exported by Hugging Face optimum (the default command).",
        discussion: """
            Models: ENCODER DECODER [DECODER_WITH_PAST], where DECODER is decoder_model_merged.onnx \
            (KV cache through its If), decoder_model.onnx with decoder_with_past_model.onnx, or \
            decoder_model.onnx alone (no cache: correct but slower); or one MODEL_DIR holding an \
            export, from which the files are picked (the merged decoder before the decoder pair; int8 \
            ones with --int8 or when they are the only ones). config.json / generation_config.json beside the encoder give the special tokens \
            and the maximum length.

            Input: one sentence per line, from FILE or stdin. Text is the default when the export's \
            tokenizer files (source.spm, target.spm, vocab.json) sit beside the encoder: lines are \
            segmented with SentencePiece as Marian does. With --ids (the default otherwise) a line is \
            the encoder's input ids, space-separated, final </s> included; the output line is the \
            generated ids without the decoder start token and without the final </s>. An empty line \
            translates to an empty line.
            """)

    @Argument(help: ArgumentHelp("ENCODER DECODER [DECODER_WITH_PAST], or MODEL_DIR.", valueName: "model"))
    var models: [String]

    @Option(name: .customLong("input"), help: ArgumentHelp("Read sentences from this file (default: stdin).", valueName: "file"))
    var input: String?

    @Option(name: .customLong("output"), help: ArgumentHelp("Write translations to this file (default: stdout).", valueName: "file"))
    var output: String?

    @Flag(help: "Token ids in and out instead of text.")
    var ids = false

    @Flag(help: "With MODEL_DIR: use the int8 (quantize_dynamic) files.")
    var int8 = false

    @Option(help: "Sentences decoded together.")
    var batchSize: Int = 32

    @Option(help: "At most N generated tokens per sentence (default: the export's max_length - 1).")
    var maxLength: Int?

    @Option(help: "Threads for the kernels (default: the cores this process may use).")
    var threads: Int?

    @Option(help: ArgumentHelp("A JSON file naming which graph value feeds which, for exports not laid out as optimum's.",
                               valueName: "file"))
    var layout: String?

    @Flag(help: "Print a summary (sentences, tokens, tokens/s) on stderr.")
    var verbose = false

    func validate() throws {
        guard (1...3).contains(models.count) else {
            throw ValidationError("give ENCODER DECODER [DECODER_WITH_PAST] or one MODEL_DIR")
        }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        if let maxLength, maxLength < 0 { throw ValidationError("--max-length must not be negative") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func execute(_ out: Output) throws(CLIError) {
        if let threads { KernelThreads.count = threads }
        let files = try ExportFiles.resolve(models, int8: int8)
        if files.decoderWithPast == nil && !files.decoderIsMerged {
            Output.write("notice: \(files.decoder) has no KV cache; every step re-runs the whole prefix (correct, slower)\n", fd: 2)
        }
        var customLayout: Seq2SeqLayout?
        if let layout {
            guard let data = FileManager.default.contents(atPath: layout) else { throw CLIError("\(layout): cannot read the file") }
            do { customLayout = try JSONDecoder().decode(Seq2SeqLayout.self, from: data) }
            catch { throw CLIError("\(layout): not a layout description: \(error.localizedDescription)") }
        }
        let translator: Translator
        do {
            translator = try Translator(encoder: files.encoder, decoder: files.decoder, decoderWithPast: files.decoderWithPast,
                                        layout: customLayout,
                                        options: TranslatorOptions(maxNewTokens: maxLength, batchSize: batchSize))
        } catch { throw CLIError("\(error)") }

        let lines = try readLines()
        let directory = (files.encoder as NSString).deletingLastPathComponent
        let tokenizer = try ids ? nil : Self.tokenizer(beside: directory.isEmpty ? "." : directory)
        let progress = Progress(total: lines.count)
        let started = Date()
        let translations: [String]
        let tokens: Int
        do {
            let sources = try tokenizer.map { (t) throws(TranslateError) in try Translator.encode(lines, tokenizer: t) }
                ?? Self.parseIDs(lines, firstLine: 1)
            let results = try translator.translate(sources) { progress.update($0) }
            tokens = results.reduce(0) { $0 + $1.count }
            translations = try tokenizer.map { (t) throws(TranslateError) in try Translator.decode(results, tokenizer: t) }
                ?? results.map { $0.map(String.init).joined(separator: " ") }
        } catch let error as CLIError { throw error } catch { throw CLIError("\(error)") }
        progress.finish()
        let elapsed = Date().timeIntervalSince(started)
        try write(translations, to: out)
        if verbose {
            let rate = elapsed > 0 ? Double(tokens) / elapsed : 0
            Output.write("\(translations.count) sentences, \(tokens) tokens, \(Int(rate.rounded())) tokens/s, "
                         + "\(String(format: "%.2f", elapsed)) s\n", fd: 2)
        }
    }

    /// The Marian tokenizer of an export folder, or nil when its files are not there.
    static func tokenizer(beside directory: String) throws(CLIError) -> MarianTokenizer? {
        let needed = ["source.spm", "target.spm", "vocab.json"]
        guard needed.allSatisfy({ FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent($0)) })
        else { return nil }
        do { return try MarianTokenizer(directory: directory) } catch { throw CLIError("\(error)") }
    }

    static func parseIDs(_ lines: [String], firstLine: Int) throws(CLIError) -> [[Int]] {
        var sources: [[Int]] = []
        for (i, line) in lines.enumerated() {
            var ids: [Int] = []
            for field in line.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                guard let id = Int(field) else { throw CLIError("line \(firstLine + i): '\(field)' is not a token id") }
                ids.append(id)
            }
            sources.append(ids)
        }
        return sources
    }

    private func readLines() throws(CLIError) -> [String] {
        let data: Data
        if let input {
            guard let d = FileManager.default.contents(atPath: input) else { throw CLIError("\(input): cannot read the file") }
            data = d
        } else {
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        guard let text = String(data: data, encoding: .utf8) else { throw CLIError("\(input ?? "stdin"): not UTF-8 text") }
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
    }

    private func write(_ lines: [String], to out: Output) throws(CLIError) {
        guard let output else {
            for l in lines { out.line(l) }
            return
        }
        let body = lines.map { $0 + "\n" }.joined()
        guard FileManager.default.createFile(atPath: output, contents: Data(body.utf8)) else {
            throw CLIError("\(output): cannot write the file")
        }
    }
}

/// The graph files of an export, from explicit paths or picked from a folder.
struct ExportFiles {
    var encoder: String
    var decoder: String
    var decoderWithPast: String?
    var decoderIsMerged: Bool { (decoder as NSString).lastPathComponent.contains("merged") }

    static func resolve(_ paths: [String], int8: Bool) throws(CLIError) -> ExportFiles {
        for p in paths where !FileManager.default.fileExists(atPath: p) { throw CLIError("\(p): no such file or directory") }
        if paths.count >= 2 {
            return ExportFiles(encoder: paths[0], decoder: paths[1], decoderWithPast: paths.count == 3 ? paths[2] : nil)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: paths[0], isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("\(paths[0]): give a model folder, or ENCODER and DECODER files")
        }
        let dir = paths[0]
        func file(_ name: String) -> String? {
            let p = (dir as NSString).appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: p) ? p : nil
        }
        // The merged decoder is preferred: one graph whose If branches share one packed copy of the
        // weights, where the decoder pair packs the decoder's weights once per graph.
        func float32() -> ExportFiles? {
            guard let e = file("encoder_model.onnx") else { return nil }
            if let m = file("decoder_model_merged.onnx") { return ExportFiles(encoder: e, decoder: m, decoderWithPast: nil) }
            guard let d = file("decoder_model.onnx") else { return nil }
            return ExportFiles(encoder: e, decoder: d, decoderWithPast: file("decoder_with_past_model.onnx"))
        }
        func quantized() -> ExportFiles? {
            for (prefix, suffix) in [("int8/", ""), ("", "_quantized"), ("", "_int8")] {
                guard let e = file("\(prefix)encoder_model\(suffix).onnx"), let d = file("\(prefix)decoder_model\(suffix).onnx") else { continue }
                return ExportFiles(encoder: e, decoder: d, decoderWithPast: file("\(prefix)decoder_with_past_model\(suffix).onnx"))
            }
            return nil
        }
        if int8 {
            guard let q = quantized() else { throw CLIError("\(dir): no int8 export (int8/ or *_quantized.onnx files)") }
            return q
        }
        if let f = float32() { return f }
        if let q = quantized() { return q }
        throw CLIError("\(dir): no encoder_model.onnx with decoder_model(_merged).onnx")
    }
}
