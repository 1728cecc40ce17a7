'use strict';
// An error in the input (.idl files) rather than in the generator: reported without a stack.
class GeneratorError extends Error {}
module.exports = { GeneratorError };
