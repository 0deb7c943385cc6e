import { MaintenanceSettings } from './maintenance-settings';
import { runInBatches } from './run-in-batches';

describe(runInBatches.name, () => {
  it('should pass the batch size and stop after the first short batch', async () => {
    const batch = jest.fn().mockResolvedValueOnce(3).mockResolvedValueOnce(3).mockResolvedValueOnce(1).mockResolvedValue(3);
    expect(await runInBatches(new MaintenanceSettings(3, 10), batch)).toBe(7);
    expect(batch).toHaveBeenCalledTimes(3);
    expect(batch).toHaveBeenCalledWith(3);
  });

  it('should stop after an empty batch', async () => {
    const batch = jest.fn().mockResolvedValue(0);
    expect(await runInBatches(new MaintenanceSettings(5, 10), batch)).toBe(0);
    expect(batch).toHaveBeenCalledTimes(1);
  });

  it('should run no more than maxBatchesPerRun full batches', async () => {
    const batch = jest.fn().mockResolvedValue(2);
    expect(await runInBatches(new MaintenanceSettings(2, 4), batch)).toBe(8);
    expect(batch).toHaveBeenCalledTimes(4);
  });

  it('should default to 20 batches per run', () => {
    expect(new MaintenanceSettings(500).maxBatchesPerRun).toBe(20);
  });
});
