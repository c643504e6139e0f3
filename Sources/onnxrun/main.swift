// The onnxrun executable: all logic lives in ONNXRunCLI.
import ONNXRunCLI

ONNXRun.runMain()
