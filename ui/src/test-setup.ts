// Unit tests see the core's labels through the copy checked in beside `lib/vocabulary.ts`.
import { setVocabulary, type Vocabulary } from './lib/vocabulary'
import labels from './lib/vocabulary.json'

setVocabulary(labels as Vocabulary)
