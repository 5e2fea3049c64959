import { Command } from 'commander'
import { registerKeysCommand } from './commands/keys.ts'
import { registerModelsCommand } from './commands/models.ts'
import { registerNodesCommand } from './commands/nodes.ts'
import { registerRunCommand } from './commands/run.ts'
import { registerStartCommand } from './commands/start.ts'
import { registerValidateCommand } from './commands/validate.ts'
import { registerWorkerCommand } from './commands/worker.ts'

const program = new Command()
  .name('patchbay')
  .description('Node-based generative-AI workflows: run them headless or serve the API.')
  .version('0.1.0')
  .showHelpAfterError()

registerStartCommand(program)
registerWorkerCommand(program)
registerRunCommand(program)
registerValidateCommand(program)
registerNodesCommand(program)
registerModelsCommand(program)
registerKeysCommand(program)

await program.parseAsync(process.argv)
