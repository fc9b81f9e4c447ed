/** "Call them anyway?": loaded only when a call needs asking first (Dialog brings its portal and focus trap). */
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from '@fluentui/react-components';

export interface CallConfirmDialogProps {
  name: string;
  video: boolean;
  why: string;
  onCall(): void;
  onCancel(): void;
}

export default function CallConfirmDialog({ name, video, why, onCall, onCancel }: CallConfirmDialogProps) {
  return (
    <Dialog open onOpenChange={(_e, d) => !d.open && onCancel()} modalType="alert">
      <DialogSurface aria-describedby="confirm-call-why">
        <DialogBody>
          <DialogTitle>
            {video ? 'Video call' : 'Call'} {name} anyway?
          </DialogTitle>
          <DialogContent id="confirm-call-why">{why} A chat message may be less disruptive.</DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onCall}>
              Call anyway
            </Button>
            <Button onClick={onCancel}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
