// The loader: ModelProto → Graph. The only module that sees protobuf-c types.
