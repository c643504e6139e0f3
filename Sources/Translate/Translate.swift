// Encoder–decoder translation over glued ONNX graphs.
