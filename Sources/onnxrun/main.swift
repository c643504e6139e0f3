print("onnxrun")
