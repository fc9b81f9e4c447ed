/** The parts of NLP.js the classifier uses (the packages ship no types). */
declare module '@nlpjs/neural' {
  export interface TrainingStatus {
    error: number;
    deltaError: number;
    iterations: number;
  }
  export class NeuralNetwork {
    constructor(settings?: { log?: boolean; iterations?: number; errorThresh?: number; deltaErrorThresh?: number; learningRate?: number });
    train(corpus: Array<{ input: Record<string, number>; output: Record<string, number> }>): TrainingStatus;
    run(input: Record<string, number>): Record<string, number> | undefined;
  }
}

declare module '@nlpjs/lang-en-min' {
  export class StemmerEn {
    stem(word: string): string;
  }
  export class StopwordsEn {
    dictionary: Record<string, boolean>;
  }
}
