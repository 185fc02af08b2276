/** A drill that cannot run as asked: a fault written wrongly, a missing app, a cluster without Chaos Mesh. */
export class DrillError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DrillError';
  }
}
